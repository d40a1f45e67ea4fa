import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManifestValidationResultWireSchema, ProblemDetailsWireSchema } from "@plugboard/contracts";
import { followUpWorkerPack, rateLimitHook } from "@plugboard/plugin-manifests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { buildControlPlane, type ControlPlane } from "../src/server.js";

const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

describe("POST /v1/plugins/validate on SQLite", () => {
  let dataDir: string;
  let plane: ControlPlane;
  let base: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "plugboard-validate-"));
    plane = await buildControlPlane(
      loadConfig({
        PLUGBOARD_DATA_DIR: dataDir,
        PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
        LOG_LEVEL: "silent",
      }),
    );
    await plane.app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(plane.app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await plane.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (body: string, contentType = "application/json") =>
    fetch(`${base}/v1/plugins/validate`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": contentType },
      body,
    });
  const validate = async (manifest: unknown) => {
    const response = await post(JSON.stringify({ manifest }));
    expect(response.status).toBe(200);
    return ManifestValidationResultWireSchema.parse(await response.json());
  };

  it("accepts a new manifest that fits the registry", async () => {
    const hook = { ...rateLimitHook, id: "hook.rate-limit-strict", priority: 11 };
    expect(await validate(hook)).toEqual({ valid: true, issues: [], problems: [] });
  });

  it("reports schema issues at the author's paths", async () => {
    const broken = { ...rateLimitHook, id: "hook.Broken", timeoutMs: "fast" };
    const result = await validate(broken);
    expect(result.valid).toBe(false);
    expect(result.issues.map((issue) => issue.path).sort()).toEqual(["id", "timeoutMs"]);
    expect(result.problems).toEqual([]);
  });

  it("reports references the registry cannot resolve as problems", async () => {
    const pack = {
      ...followUpWorkerPack,
      id: "worker-pack.follow-up-crm",
      workerPackId: "follow_up_crm_v1",
      requiredConnectionProviders: ["salesforce"],
    };
    const result = await validate(pack);
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        manifest_id: "worker-pack.follow-up-crm",
        path: "requiredConnectionProviders[0]",
        code: "unresolved_reference",
      }),
    ]);
  });

  it("reports a runtime pack id another plugin already uses", async () => {
    const result = await validate({ ...followUpWorkerPack, id: "worker-pack.follow-up-copy" });
    expect(result.problems).toEqual([
      expect.objectContaining({ path: "workerPackId", code: "duplicate_value" }),
    ]);
  });

  it("changes nothing in the registry", async () => {
    const before = await fetch(`${base}/v1/registry`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    await validate({ ...rateLimitHook, id: "hook.rate-limit-other" });
    const after = await fetch(`${base}/v1/registry`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(after.headers.get("etag")).toBe(before.headers.get("etag"));
  });

  it.each([
    ["malformed JSON", "{", "application/json", 400, "PLUGBOARD_BAD_REQUEST"],
    [
      "a body that is not JSON",
      "manifest=1",
      "text/plain",
      415,
      "PLUGBOARD_UNSUPPORTED_MEDIA_TYPE",
    ],
    [
      "an unknown top-level field",
      JSON.stringify({ manifest: {}, extra: 1 }),
      "application/json",
      422,
      "PLUGBOARD_VALIDATION_FAILED",
    ],
  ])("answers %s with a problem document", async (_label, body, contentType, status, code) => {
    const response = await post(body, contentType);
    expect(response.status).toBe(status);
    expect(ProblemDetailsWireSchema.parse(await response.json()).code).toBe(code);
  });

  it("answers a body over the size limit with 413", async () => {
    const response = await post(
      JSON.stringify({ manifest: { description: "x".repeat(2_000_000) } }),
    );
    expect(response.status).toBe(413);
    expect(ProblemDetailsWireSchema.parse(await response.json()).code).toBe(
      "PLUGBOARD_PAYLOAD_TOO_LARGE",
    );
  });
});
