import { HookOrderResponseWireSchema, ProblemDetailsWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertConfigRevision, latestRevision } from "../src/plugin-config/config-store.js";
import { pluginRuntime } from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";

const REDACTOR = "hook.pii-redactor";
const SAFE = {
  redactEmails: true,
  redactPhones: true,
  replacement: "[redacted]",
  extraPatterns: ["ACCT-\\d{6,12}"],
};

describe("first-party native hooks", { timeout: 30_000 }, () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("native-hooks-api");
  });
  afterAll(() => server.stop());

  const configure = (config: Record<string, unknown>, revision: number) =>
    server.request("PUT", `/v1/plugins/${REDACTOR}/config`, {
      body: { config },
      headers: { "if-match": `"${revision}"` },
    });
  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());
  const postFlight = async () => {
    const response = await server.request("GET", "/v1/hooks");
    return HookOrderResponseWireSchema.parse(await response.json()).rings.post_flight.map(
      (hook) => hook.id,
    );
  };

  it("refuses extra patterns that could backtrack, naming each, and keeps the stored config", async () => {
    expect((await configure(SAFE, 0)).status).toBe(200);
    const refused = await configure(
      { ...SAFE, extraPatterns: ["ACCT-\\d+", "(\\w+\\s?)+$", "x".repeat(201)] },
      1,
    );
    expect(refused.status).toBe(422);
    const { code, errors } = await problem(refused);
    expect(code).toBe("PLUGBOARD_VALIDATION_FAILED");
    expect(errors).toEqual([
      expect.objectContaining({
        path: "config.extraPatterns[1]",
        code: "unsafe_pattern",
        message: expect.stringContaining("nested quantifiers"),
      }),
      expect.objectContaining({
        path: "config.extraPatterns[2]",
        code: "unsafe_pattern",
        message: expect.stringContaining("at most 200 are allowed"),
      }),
    ]);
    const stored = await server.request("GET", `/v1/plugins/${REDACTOR}/config`);
    expect(stored.headers.get("etag")).toBe('"1"');
  });

  it("reports a native hook whose setup failed, and keeps it in its ring to fail by its mode", async () => {
    expect(
      (await server.request("POST", `/v1/plugins/${REDACTOR}/enable`, { body: {} })).status,
    ).toBe(200);
    expect(await pluginRuntime(server, REDACTOR)).toMatchObject({
      mode: "native",
      state: "ready",
      healthy: true,
      hook: { ring: "post_flight", fail_mode: "closed" },
    });
    // A config stored before patterns were checked, as an older version would have.
    await withServerDatabase(server, async (db) => {
      await insertConfigRevision(db, {
        pluginId: REDACTOR,
        previous: await latestRevision(db, REDACTOR),
        config: { ...SAFE, extraPatterns: ["(a+)+$"] },
        actor: "older-version",
        restoredFrom: null,
      });
    });
    await server.restart();
    const failed = await pluginRuntime(server, REDACTOR);
    expect(failed).toMatchObject({
      mode: "native",
      state: "failed",
      healthy: false,
      last_error: { code: "setup_failed" },
    });
    expect(failed.detail).toContain("config.extraPatterns[0]");
    expect(await postFlight()).toEqual([REDACTOR]);
  });

  it("refuses to enable a native hook whose setup fails, and leaves it disabled", async () => {
    expect(
      (await server.request("POST", `/v1/plugins/${REDACTOR}/disable`, { body: {} })).status,
    ).toBe(200);
    expect(await postFlight()).toEqual([]);
    const refused = await server.request("POST", `/v1/plugins/${REDACTOR}/enable`, { body: {} });
    expect(refused.status).toBe(422);
    const { code, errors } = await problem(refused);
    expect(code).toBe("PLUGBOARD_PLUGIN_START_FAILED");
    expect(errors[0]).toMatchObject({ path: "id", code: "setup_failed" });
    expect(await pluginRuntime(server, REDACTOR)).toMatchObject({ state: "not_running" });
    expect(await postFlight()).toEqual([]);
  });
});
