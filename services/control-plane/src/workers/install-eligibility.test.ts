import { followUpWorkerPack } from "@plugboard/plugin-manifests";
import { describe, expect, it } from "vitest";
import { getRuntimeWorkerPack } from "../worker-packs/index.js";
import { checkInstallable } from "./install-eligibility.js";

const pack = getRuntimeWorkerPack(followUpWorkerPack.workerPackId);
const connected = new Set(["smtp_relay"]);
const refusalOf = (verdict: ReturnType<typeof checkInstallable>) =>
  "refusal" in verdict
    ? { detail: verdict.refusal.message, codes: verdict.refusal.errors.map((e) => e.code) }
    : undefined;

describe("checkInstallable", () => {
  it("gives the runtime pack when everything required is there", () => {
    const verdict = checkInstallable({
      manifest: followUpWorkerPack,
      enabled: true,
      pack,
      connected,
    });
    expect(verdict).toEqual({ pack });
  });

  it("refuses a disabled pack", () => {
    const verdict = checkInstallable({
      manifest: followUpWorkerPack,
      enabled: false,
      pack,
      connected,
    });
    expect(refusalOf(verdict)?.codes).toEqual(["plugin_disabled"]);
  });

  it("refuses an experimental pack even with its connections", () => {
    const manifest = { ...followUpWorkerPack, stability: "experimental" as const };
    const verdict = checkInstallable({ manifest, enabled: true, pack, connected });
    expect(refusalOf(verdict)).toEqual({
      detail: "worker-pack.follow-up is experimental and cannot be installed",
      codes: ["experimental"],
    });
  });

  it("refuses a pack whose runtime pack this host lacks", () => {
    const verdict = checkInstallable({
      manifest: followUpWorkerPack,
      enabled: true,
      pack: undefined,
      connected,
    });
    expect(refusalOf(verdict)?.codes).toEqual(["no_runtime_pack"]);
  });

  it("names every missing required provider, and ignores optional ones", () => {
    const manifest = {
      ...followUpWorkerPack,
      requiredConnectionProviders: ["smtp_relay", "notion"],
    };
    const verdict = checkInstallable({ manifest, enabled: true, pack, connected: new Set() });
    expect(refusalOf(verdict)).toEqual({
      detail: "worker-pack.follow-up needs a connection for: smtp_relay, notion",
      codes: ["missing_connection", "missing_connection"],
    });
  });
});
