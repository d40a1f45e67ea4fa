import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProblemDetailsWireSchema, RegistryResponseWireSchema } from "@plugboard/contracts";
import { firstPartyManifests } from "@plugboard/plugin-manifests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../src/auth/tokens.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { buildControlPlane } from "../src/server.js";
import { openDatabase } from "../src/store/database.js";
import {
  ADMIN_TOKEN,
  type RunningControlPlane,
  startControlPlane,
} from "./running-control-plane.js";

describe("control plane registry API", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("registry");
  });
  afterAll(() => server.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    server.request("GET", path, { token: null, headers });
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  it("answers liveness and readiness once migrated", async () => {
    expect((await get("/health")).status).toBe(200);
    const ready = await get("/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("serves every first-party plugin in the registry, in the contract's wire form", async () => {
    const response = await get("/v1/registry", admin);
    expect(response.status).toBe(200);
    const body = RegistryResponseWireSchema.parse(await response.json());
    const ids = Object.values(body.kinds)
      .flat()
      .map((entry) => entry.id);
    expect(ids.sort()).toEqual(firstPartyManifests.map((m) => m.id).sort());
    const smtp = body.kinds.connection_provider.find((entry) => entry.id === "provider.smtp-relay");
    expect(smtp?.installation).toEqual({
      installed_version: "1.0.0",
      enabled: true,
      setup: { completed: 0, total: smtp?.setup_steps.length },
    });
  });

  it("answers 304 when If-None-Match carries the current ETag", async () => {
    const first = await get("/v1/registry", admin);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^".+"$/);
    const second = await get("/v1/registry", { ...admin, "if-none-match": etag ?? "" });
    expect(second.status).toBe(304);
  });

  it("refuses a request without a token with a 401 problem document", async () => {
    const response = await get("/v1/registry");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(ProblemDetailsWireSchema.parse(await response.json()).code).toBe(
      "PLUGBOARD_UNAUTHORIZED",
    );
  });

  it("refuses an unknown token with 401 and a token without the scope with 403", async () => {
    expect(
      (await get("/v1/registry", { authorization: "Bearer pbt_not-a-real-token" })).status,
    ).toBe(401);
    const database = openDatabase({ dataDir: server.dataDir, databaseUrl: server.databaseUrl });
    const { token } = await createToken(database.db, {
      name: "reviewer",
      scopes: ["actions:review"],
      createdBy: "test",
    });
    await database.close();
    const response = await get("/v1/registry", { authorization: `Bearer ${token}` });
    expect(response.status).toBe(403);
    expect(ProblemDetailsWireSchema.parse(await response.json()).code).toBe("PLUGBOARD_FORBIDDEN");
  });

  it("answers an unknown route with a 404 problem document", async () => {
    const response = await get("/v1/nothing-here", admin);
    expect(response.status).toBe(404);
    expect(ProblemDetailsWireSchema.parse(await response.json()).code).toBe("PLUGBOARD_NOT_FOUND");
  });

  it("keeps its data and the admin token across a restart", async () => {
    await server.restart();
    expect(server.current().generatedAdminToken).toBeUndefined();
    expect((await get("/v1/registry", admin)).status).toBe(200);
  });
});

describe("bootstrap admin token", () => {
  it("is generated once at first start and not again", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "plugboard-bootstrap-"));
    try {
      const config = loadConfig({ PLUGBOARD_DATA_DIR: dataDir, LOG_LEVEL: "silent" });
      const first = await buildControlPlane(config);
      await first.app.close();
      expect(first.generatedAdminToken).toMatch(/^pbt_/);
      const second = await buildControlPlane(config);
      await second.app.close();
      expect(second.generatedAdminToken).toBeUndefined();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("configuration", () => {
  it("uses the documented defaults", () => {
    const config = loadConfig({}, "/srv");
    expect(config).toMatchObject({
      port: 8787,
      host: "127.0.0.1",
      dataDir: "/srv/.plugboard",
      logLevel: "info",
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it.each([
    [{ PORT: "eighty" }, /PORT="eighty"/],
    [{ PORT: "70000" }, /PORT="70000"/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL="mysql:\/\/x": expected a postgres/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL="loud"/],
    [{ PLUGBOARD_ADMIN_TOKEN: "short" }, /PLUGBOARD_ADMIN_TOKEN=.*at least 24/],
    [{ PLUGBOARD_SECRET_KEY: "abc" }, /PLUGBOARD_SECRET_KEY=.*32 bytes/],
  ])("rejects %o naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
