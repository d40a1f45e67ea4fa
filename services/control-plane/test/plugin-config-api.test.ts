import {
  ConfigRevisionListResponseWireSchema,
  PluginConfigWireSchema,
  ProblemDetailsWireSchema,
  TokenCreateResponseWireSchema,
} from "@plugboard/contracts";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertConfigRevision } from "../src/plugin-config/config-store.js";
import type { Schema } from "../src/store/schema.js";
import { isUniqueViolation } from "../src/store/unique-violation.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";

const RATE_LIMIT = "hook.rate-limit";
const PII = "hook.pii-redactor";
const configPath = (id: string) => `/v1/plugins/${id}/config`;
const limits = (maxRequests: number) => ({ maxRequests, windowSeconds: 60, keyBy: "ip" });

describe("plugin config routes", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("plugin-config");
  });
  afterAll(() => server.stop());

  const getConfig = async (id = RATE_LIMIT) => {
    const response = await server.request("GET", configPath(id));
    expect(response.status).toBe(200);
    return {
      etag: response.headers.get("etag"),
      ...PluginConfigWireSchema.parse(await response.json()),
    };
  };
  const putConfig = (config: unknown, ifMatch: string | undefined, id = RATE_LIMIT) =>
    server.request("PUT", configPath(id), {
      body: { config },
      headers: ifMatch === undefined ? {} : { "if-match": ifMatch },
    });
  const rollback = (revision: number, ifMatch: string | undefined, id = RATE_LIMIT) =>
    server.request("POST", `${configPath(id)}/rollback`, {
      body: { revision },
      headers: ifMatch === undefined ? {} : { "if-match": ifMatch },
    });
  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());
  const withDatabase = <T>(read: (db: Kysely<Schema>) => Promise<T>) =>
    withServerDatabase(server, read);

  it("starts a plugin at revision 0 with an empty config and the revision as its ETag", async () => {
    const config = await getConfig();
    expect(config).toMatchObject({
      etag: '"0"',
      plugin_id: RATE_LIMIT,
      revision: 0,
      config: {},
      updated_at: null,
      updated_by: null,
      restored_from: null,
    });
  });

  it("stores a valid config as the next revision, keeping the plugin's own key spelling", async () => {
    const response = await putConfig(limits(100), '"0"');
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"1"');
    const written = PluginConfigWireSchema.parse(await response.json());
    expect(written).toMatchObject({ revision: 1, updated_by: "admin", config: limits(100) });
    expect(Object.keys(written.config)).toEqual(["maxRequests", "windowSeconds", "keyBy"]);
    expect(await getConfig()).toMatchObject({ etag: '"1"', revision: 1, config: limits(100) });
  });

  it("refuses an invalid config with 422 naming each path, and keeps the stored one", async () => {
    const response = await putConfig({ maxRequests: 0, keyBy: "everyone", burst: 5 }, '"1"');
    expect(response.status).toBe(422);
    const { code, errors } = await problem(response);
    expect(code).toBe("PLUGBOARD_VALIDATION_FAILED");
    expect(errors.map((error) => [error.path, error.code])).toEqual([
      ["config.windowSeconds", "required"],
      ["config.maxRequests", "too_small"],
      ["config.keyBy", "invalid_value"],
      ["config.burst", "unrecognized_key"],
    ]);
    expect(await getConfig()).toMatchObject({ revision: 1, config: limits(100) });
  });

  it("refuses a body that is not a config object with 422", async () => {
    for (const body of [{ config: [1, 2] }, { config: "x" }, {}, { config: {}, extra: 1 }]) {
      const response = await server.request("PUT", configPath(RATE_LIMIT), {
        body,
        headers: { "if-match": '"1"' },
      });
      expect(response.status).toBe(422);
    }
  });

  it("requires If-Match, answering 428 without it and 400 for one that names no revision", async () => {
    const missing = await putConfig(limits(5), undefined);
    expect(missing.status).toBe(428);
    expect(await problem(missing)).toMatchObject({
      code: "PLUGBOARD_PRECONDITION_REQUIRED",
      errors: [{ path: "headers.if-match", code: "required" }],
    });
    for (const value of ["*", 'W/"1"', '"1", "2"', '"one"', ""]) {
      const response = await putConfig(limits(5), value);
      expect(response.status, value).toBe(400);
      expect((await problem(response)).errors[0]?.path).toBe("headers.if-match");
    }
    expect((await rollback(1, undefined)).status).toBe(428);
    expect(await getConfig()).toMatchObject({ revision: 1, config: limits(100) });
  });

  it("reads a bare revision number in If-Match like its quoted ETag", async () => {
    const response = await putConfig(limits(200), "1");
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"2"');
  });

  it("answers 409 for a stale If-Match and keeps the newer config", async () => {
    for (const stale of ['"1"', '"0"', '"7"']) {
      const response = await putConfig(limits(1), stale);
      expect(response.status, stale).toBe(409);
      expect(await problem(response)).toMatchObject({
        code: "PLUGBOARD_CONFLICT",
        errors: [{ path: "headers.if-match", code: "stale_revision" }],
      });
    }
    expect(await getConfig()).toMatchObject({ revision: 2, config: limits(200) });
  });

  it("lets exactly one of several concurrent writers of the same revision win", async () => {
    const { revision } = await getConfig();
    const responses = await Promise.all(
      [11, 12, 13, 14, 15].map((max) => putConfig(limits(max), `"${revision}"`)),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    const winner = responses.find((response) => response.status === 200);
    const written = PluginConfigWireSchema.parse(await winner?.json());
    expect(await getConfig()).toMatchObject({ revision: revision + 1, config: written.config });
  });

  it("makes the loser of a race on the revision insert fail as a unique violation", async () => {
    // Two writers that both read revision 0 insert revision 1: the primary key lets one in.
    const write = {
      pluginId: "connector.microsoft-graph",
      previous: 0,
      config: { clientId: "a", tenantId: "b" },
      actor: "admin",
      restoredFrom: null,
    };
    const lost = await withDatabase(async (db) => {
      await insertConfigRevision(db, write);
      return insertConfigRevision(db, write).then(
        () => undefined,
        (error: unknown) => error,
      );
    });
    expect(isUniqueViolation(lost)).toBe(true);
    expect(isUniqueViolation(new Error("connection refused"))).toBe(false);
  });

  it("lists every revision newest first, with who wrote it", async () => {
    const response = await server.request("GET", `${configPath(RATE_LIMIT)}/revisions`);
    expect(response.status).toBe(200);
    const { plugin_id, revisions } = ConfigRevisionListResponseWireSchema.parse(
      await response.json(),
    );
    expect(plugin_id).toBe(RATE_LIMIT);
    expect(revisions.map((revision) => revision.revision)).toEqual([3, 2, 1]);
    expect(revisions[2]).toMatchObject({
      config: limits(100),
      created_by: "admin",
      restored_from: null,
    });
  });

  it("rolls back by writing an earlier revision's config as a new revision", async () => {
    const response = await rollback(1, '"3"');
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"4"');
    expect(PluginConfigWireSchema.parse(await response.json())).toMatchObject({
      revision: 4,
      config: limits(100),
      restored_from: 1,
    });
    const list = ConfigRevisionListResponseWireSchema.parse(
      await (await server.request("GET", `${configPath(RATE_LIMIT)}/revisions`)).json(),
    );
    expect(list.revisions.map((revision) => [revision.revision, revision.restored_from])).toEqual([
      [4, 1],
      [3, null],
      [2, null],
      [1, null],
    ]);
  });

  it("refuses a rollback to an unknown revision with 404, and a stale one with 409", async () => {
    const unknown = await rollback(99, '"4"');
    expect(unknown.status).toBe(404);
    expect((await problem(unknown)).errors[0]?.path).toBe("revision");
    expect((await rollback(2, '"3"')).status).toBe(409);
    expect((await rollback(0, '"4"')).status).toBe(422);
    expect(await getConfig()).toMatchObject({ revision: 4 });
  });

  it("refuses to restore a revision the current configSchema no longer accepts", async () => {
    // A revision written by an older manifest version, whose schema allowed other values.
    await withDatabase((db) =>
      db
        .insertInto("config_revisions")
        .values({
          plugin_id: PII,
          revision: 1,
          config_json: JSON.stringify({ redactEmails: "sometimes" }),
          created_at: new Date().toISOString(),
          created_by: "admin",
          restored_from: null,
        })
        .execute(),
    );
    const valid = { redactEmails: true, redactPhones: false, replacement: "***" };
    expect((await putConfig(valid, '"1"', PII)).status).toBe(200);
    const response = await rollback(1, '"2"', PII);
    expect(response.status).toBe(422);
    expect((await problem(response)).errors.map((error) => error.path)).toEqual([
      "config.redactPhones",
      "config.replacement",
      "config.redactEmails",
    ]);
    expect(await getConfig(PII)).toMatchObject({ revision: 2, config: valid });
  });

  it("accepts no config for a plugin that declares no configSchema", async () => {
    const response = await putConfig({}, '"0"', "provider.smtp-relay");
    expect(response.status).toBe(422);
    expect((await problem(response)).errors).toMatchObject([
      { path: "config", code: "no_config_schema" },
    ]);
    expect(await getConfig("provider.smtp-relay")).toMatchObject({ revision: 0, config: {} });
  });

  it("answers 404 for an unknown plugin and 400 for a malformed id on every config route", async () => {
    const unknown = "provider.nowhere";
    const headers = { "if-match": '"0"' };
    const calls: Array<[string, string, unknown]> = [
      ["GET", configPath(unknown), undefined],
      ["PUT", configPath(unknown), { config: {} }],
      ["GET", `${configPath(unknown)}/revisions`, undefined],
      ["POST", `${configPath(unknown)}/rollback`, { revision: 1 }],
    ];
    for (const [method, path, body] of calls) {
      const response = await server.request(method, path, { body, headers });
      expect(response.status, `${method} ${path}`).toBe(404);
      const malformed = await server.request(method, path.replace(unknown, "Not-An-Id"), {
        body,
        headers,
      });
      expect(malformed.status, `${method} ${path}`).toBe(400);
    }
  });

  it("lets a read-only token read the config but not change it", async () => {
    const created = await server.request("POST", "/v1/tokens", {
      body: { name: "reader", scopes: ["admin:plugins:read"] },
    });
    const { token } = TokenCreateResponseWireSchema.parse(await created.json());
    expect((await server.request("GET", configPath(RATE_LIMIT), { token })).status).toBe(200);
    const put = await server.request("PUT", configPath(RATE_LIMIT), {
      token,
      body: { config: limits(1) },
      headers: { "if-match": '"4"' },
    });
    expect(put.status).toBe(403);
    expect((await server.request("GET", configPath(RATE_LIMIT), { token: null })).status).toBe(401);
  });

  it("audits each change with its actor and the revisions before and after", async () => {
    const rows = await withDatabase((db) =>
      db
        .selectFrom("audit_log")
        .selectAll()
        .where("target", "=", RATE_LIMIT)
        .orderBy("id")
        .execute(),
    );
    expect(
      rows.map((row) => [row.actor, row.action, row.before_revision, row.after_revision]),
    ).toEqual([
      ["admin", "config.update", null, "1"],
      ["admin", "config.update", "1", "2"],
      ["admin", "config.update", "2", "3"],
      ["admin", "config.rollback", "3", "4"],
    ]);
    expect(JSON.parse(rows[3]?.detail_json ?? "null")).toEqual({
      keys: ["maxRequests", "windowSeconds", "keyBy"],
      restoredFrom: 1,
    });
  });

  it("keeps the config and every revision across a restart", async () => {
    await server.restart();
    expect(await getConfig()).toMatchObject({
      etag: '"4"',
      revision: 4,
      config: limits(100),
      restored_from: 1,
    });
    const list = ConfigRevisionListResponseWireSchema.parse(
      await (await server.request("GET", `${configPath(RATE_LIMIT)}/revisions`)).json(),
    );
    expect(list.revisions).toHaveLength(4);
    expect((await putConfig(limits(7), '"4"')).status).toBe(200);
  });
});
