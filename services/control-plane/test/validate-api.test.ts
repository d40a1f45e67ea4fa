import { ManifestValidationResultWireSchema, ProblemDetailsWireSchema } from "@plugboard/contracts";
import { followUpWorkerPack, rateLimitHook } from "@plugboard/plugin-manifests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

describe("POST /v1/plugins/validate", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("validate");
  });
  afterAll(() => server.stop());

  const post = (body: string, contentType = "application/json") =>
    server.request("POST", "/v1/plugins/validate", { body, contentType });
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
    const before = await server.request("GET", "/v1/registry");
    await validate({ ...rateLimitHook, id: "hook.rate-limit-other" });
    const after = await server.request("GET", "/v1/registry");
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
