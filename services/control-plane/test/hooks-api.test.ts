import { HookOrderResponseWireSchema, ProblemDetailsWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACME_ALLOWLIST,
  codeHook,
  installedCodePlugin,
  pluginModule,
  pluginRuntime,
} from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";
import { declarativeHook } from "./third-party-manifests.js";
import { POSTMARK, postmarkMessage, sendWebhook, storePostmarkToken } from "./webhook-fixtures.js";

const TOKEN = "pm-token-hook-order-7Fq2-shared-secret";
const passing = (id: string) =>
  pluginModule(id, `return { run: () => ({ action: "passthrough" }) };`);

describe("GET /v1/hooks", { timeout: 30_000 }, () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("hooks", ACME_ALLOWLIST);
    await storePostmarkToken(server, TOKEN);
  });
  afterAll(() => server.stop());

  const listed = async () => {
    const response = await server.request("GET", "/v1/hooks");
    expect(response.status).toBe(200);
    return HookOrderResponseWireSchema.parse(await response.json()).rings;
  };
  const order = async () =>
    Object.fromEntries(
      Object.entries(await listed()).map(([ring, hooks]) => [ring, hooks.map((hook) => hook.id)]),
    );
  const installHook = (id: string, fields: Record<string, unknown>, version = "1.0.0") =>
    installedCodePlugin(server, codeHook(id, version, fields), passing(id));

  it("starts the first-party hooks disabled, and lists them in their rings once enabled", async () => {
    expect(await order()).toEqual({
      ingress: [],
      pre_flight: [],
      routing: [],
      post_flight: [],
      background: [],
    });
    for (const id of ["hook.rate-limit", "hook.pii-redactor"]) {
      const enabled = await server.request("POST", `/v1/plugins/${id}/enable`, { body: {} });
      expect(enabled.status).toBe(200);
    }
    expect(await order()).toEqual({
      ingress: [],
      pre_flight: ["hook.rate-limit"],
      routing: [],
      post_flight: ["hook.pii-redactor"],
      background: [],
    });
  });

  it("orders by priority, then id, then moves a hook only as far as its constraints say", async () => {
    await installHook("hook.zeta-trace", { ring: "pre_flight", priority: 5 });
    await installHook("hook.alpha-trace", { ring: "pre_flight", priority: 5 });
    expect((await order()).pre_flight).toEqual([
      "hook.alpha-trace",
      "hook.zeta-trace",
      "hook.rate-limit",
    ]);
    await installHook("hook.late-trace", {
      ring: "pre_flight",
      priority: 1,
      after: ["hook.rate-limit"],
    });
    expect((await order()).pre_flight).toEqual([
      "hook.alpha-trace",
      "hook.zeta-trace",
      "hook.rate-limit",
      "hook.late-trace",
    ]);
  });

  it("lists what runs: not a hook without code, and the version that runs", async () => {
    const manifestOnly = await server.request("POST", "/v1/plugins", {
      body: { manifest: { ...declarativeHook("hook.paper-trace"), ring: "pre_flight" } },
    });
    expect(manifestOnly.status).toBe(201);
    expect((await order()).pre_flight).not.toContain("hook.paper-trace");
    await installHook("hook.zeta-trace", { ring: "pre_flight", priority: 5 }, "1.1.0");
    const zeta = (await listed()).pre_flight.find((hook) => hook.id === "hook.zeta-trace");
    expect(zeta).toMatchObject({ version: "1.1.0", priority: 5, fail_mode: "open" });
  });

  it("leaves disabled hooks out and brings them back when enabled", async () => {
    const toggle = (enabled: boolean) =>
      server.request("PATCH", "/v1/plugins/hook.rate-limit", { body: { enabled } });
    expect((await toggle(false)).status).toBe(200);
    expect((await order()).pre_flight).not.toContain("hook.rate-limit");
    expect((await toggle(true)).status).toBe(200);
    expect((await order()).pre_flight).toContain("hook.rate-limit");
  });

  it("lists a hook that should run but cannot, since its fail mode still applies", async () => {
    await installHook("hook.unset-trace", {
      ring: "pre_flight",
      configSchema: {
        type: "object",
        properties: { realm: { type: "string", title: "Realm" } },
        required: ["realm"],
        additionalProperties: false,
      },
    });
    expect(await pluginRuntime(server, "hook.unset-trace")).toMatchObject({ state: "blocked" });
    expect((await order()).pre_flight).toContain("hook.unset-trace");
  });

  it("refuses a hook whose constraints would close a cycle, naming the constraint", async () => {
    const response = await server.request("POST", "/v1/plugins", {
      body: {
        manifest: {
          ...declarativeHook("hook.loop-trace"),
          ring: "pre_flight",
          before: ["hook.rate-limit"],
          after: ["hook.late-trace"],
        },
      },
    });
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain("hook_order_cycle");
    expect((await order()).pre_flight).not.toContain("hook.loop-trace");
  });

  it("fails closed when stored hooks cannot be ordered: a fail-closed hook stops webhooks, a fail-open one is bypassed", async () => {
    await installHook("hook.acme-first", {
      ring: "ingress",
      failMode: "closed",
      before: ["hook.acme-second"],
    });
    await installHook("hook.acme-second", { ring: "ingress", failMode: "open", priority: 50 });
    // Rows written by an older version, say, that close a cycle the install check refuses.
    await withServerDatabase(server, async (db) => {
      const row = await db
        .selectFrom("plugin_versions")
        .select("manifest_json")
        .where("plugin_id", "=", "hook.acme-second")
        .executeTakeFirstOrThrow();
      const manifest = { ...JSON.parse(row.manifest_json), before: ["hook.acme-first"] };
      await db
        .updateTable("plugin_versions")
        .set({ manifest_json: JSON.stringify(manifest) })
        .where("plugin_id", "=", "hook.acme-second")
        .execute();
    });
    await server.restart();
    const refused = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage("pm-hook-order-cycle"),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(refused.status).toBe(503);
    expect(ProblemDetailsWireSchema.parse(await refused.json())).toMatchObject({
      code: "PLUGBOARD_HOOK_FAILED",
      detail: expect.stringContaining("hook.acme-first"),
    });
    const second = await pluginRuntime(server, "hook.acme-second");
    expect(second.detail).toContain("the hooks of its ring cannot be ordered");
    expect(second.detail).toContain("cycle:");
    // Without their constraints the fail-open hook runs first: it failed and was bypassed.
    expect(second.hook).toMatchObject({ bypasses: 1, failures: { crash: 1 } });
    expect((await order()).ingress).toEqual(["hook.acme-second", "hook.acme-first"]);
    // The other rings run as usual.
    expect((await order()).pre_flight).toContain("hook.rate-limit");
  });
});
