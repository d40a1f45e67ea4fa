import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuditListResponseWireSchema, PluginDetailResponseWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeHook, pluginModule } from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

const ID = "hook.acme-local";

/** Writes a plugin package as an author's build leaves it: package.json naming the manifest. */
function writePackage(dir: string, version: string) {
  mkdirSync(join(dir, "dist"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "@acme/local-hook",
      version,
      plugboard: { manifest: "dist/manifest.json" },
    }),
  );
  writeFileSync(join(dir, "dist", "manifest.json"), JSON.stringify(codeHook(ID, version)));
  writeFileSync(
    join(dir, "dist", "plugin.js"),
    pluginModule(ID, `return { run: () => ({ action: "passthrough" }) };`),
  );
}

describe("plugins from local directories", { timeout: 30_000 }, () => {
  let root: string;
  let server: RunningControlPlane;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "plugboard-local-plugins-"));
    writePackage(join(root, "local-hook"), "1.0.0");
    mkdirSync(join(root, "not-a-plugin"));
    writeFileSync(join(root, "not-a-plugin", "package.json"), "{ not json");
    server = await startControlPlane("local-plugins", { PLUGBOARD_PLUGIN_DIRS: root });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const detail = async () => {
    const response = await server.request("GET", `/v1/plugins/${ID}`);
    expect(response.status).toBe(200);
    return PluginDetailResponseWireSchema.parse(await response.json());
  };

  it("installs and runs a plugin found in a local directory, skipping what is not a plugin", async () => {
    const found = await detail();
    expect(found.plugin.installation).toMatchObject({ installed_version: "1.0.0", enabled: true });
    expect(found.runtime).toMatchObject({ mode: "sandbox", state: "running" });
    const audit = await server.request("GET", `/v1/audit?target=${ID}`);
    const { entries } = AuditListResponseWireSchema.parse(await audit.json());
    expect(entries).toEqual([
      expect.objectContaining({ action: "plugin.install", actor: "system" }),
    ]);
  });

  it("leaves the installed version alone at restart, and upgrades to a newer local version", async () => {
    await server.restart();
    expect((await detail()).versions).toHaveLength(1);
    writePackage(join(root, "local-hook"), "1.1.0");
    await server.restart();
    const upgraded = await detail();
    expect(upgraded.plugin.installation.installed_version).toBe("1.1.0");
    expect(upgraded.versions.map((version) => version.version)).toEqual(["1.1.0", "1.0.0"]);
    expect(upgraded.runtime).toMatchObject({ state: "running", version: "1.1.0" });
  });
});
