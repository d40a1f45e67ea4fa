import {
  PluginDetailResponseWireSchema,
  PluginListResponseWireSchema,
  ProblemDetailsWireSchema,
} from "@plugboard/contracts";
import { firstPartyManifests } from "@plugboard/plugin-manifests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

describe("plugin routes and OpenAPI", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("plugins");
  });
  afterAll(() => server.stop());
  const get = (path: string) => server.request("GET", path);

  it("lists every plugin sorted by category, then priority, then id", async () => {
    const response = await get("/v1/plugins");
    expect(response.status).toBe(200);
    const { plugins } = PluginListResponseWireSchema.parse(await response.json());
    expect(plugins).toHaveLength(firstPartyManifests.length);
    const keys = plugins.map(
      (p) => [p.category ?? "other", p.priority ?? Number.MAX_SAFE_INTEGER, p.id] as const,
    );
    const sorted = [...keys].sort(
      (a, b) => a[0].localeCompare(b[0]) || a[1] - b[1] || (a[2] < b[2] ? -1 : 1),
    );
    expect(keys).toEqual(sorted);
  });

  it("filters by kind, category and stability together", async () => {
    const response = await get(
      "/v1/plugins?kind=connection_provider&category=knowledge&stability=experimental",
    );
    const { plugins } = PluginListResponseWireSchema.parse(await response.json());
    const expected = firstPartyManifests
      .filter(
        (m) =>
          m.kind === "connection_provider" &&
          m.category === "knowledge" &&
          m.stability === "experimental",
      )
      .map((m) => m.id)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(plugins.map((p) => p.id).sort()).toEqual(expected);
  });

  it.each([
    ["an unknown kind", "/v1/plugins?kind=widget", "kind"],
    ["an unknown stability", "/v1/plugins?stability=beta", "stability"],
    ["an unknown filter", "/v1/plugins?colour=blue", ""],
  ])("rejects %s with a 400 naming the parameter", async (_label, path, field) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    const problem = ProblemDetailsWireSchema.parse(await response.json());
    expect(problem.code).toBe("PLUGBOARD_BAD_REQUEST");
    expect(problem.errors.map((error) => error.path)).toContain(field);
  });

  it("shows one plugin with its installation and version history", async () => {
    const response = await get("/v1/plugins/worker-pack.follow-up");
    expect(response.status).toBe(200);
    const detail = PluginDetailResponseWireSchema.parse(await response.json());
    expect(detail.plugin.id).toBe("worker-pack.follow-up");
    expect(detail.plugin.installation.enabled).toBe(true);
    expect(detail.versions).toEqual([
      expect.objectContaining({ version: "1.0.0", installed: true }),
    ]);
  });

  it("answers 404 for a plugin id that is not registered and 400 for a malformed one", async () => {
    const missing = await get("/v1/plugins/hook.not-here");
    expect(missing.status).toBe(404);
    expect(ProblemDetailsWireSchema.parse(await missing.json()).code).toBe("PLUGBOARD_NOT_FOUND");
    expect((await get("/v1/plugins/NOT%20AN%20ID")).status).toBe(400);
  });

  it("requires a token on the plugin routes", async () => {
    expect((await server.request("GET", "/v1/plugins", { token: null })).status).toBe(401);
    expect(
      (await server.request("GET", "/v1/plugins/hook.rate-limit", { token: null })).status,
    ).toBe(401);
  });

  it("serves the OpenAPI 3.1 document of the contracts", async () => {
    const response = await server.request("GET", "/openapi.json", { token: null });
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/v1/registry", "/v1/plugins", "/v1/plugins/{id}"]),
    );
  });
});
