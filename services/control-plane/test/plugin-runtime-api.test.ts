import {
  PluginChangeResultWireSchema,
  PluginDetailResponseWireSchema,
  PluginHealthResponseWireSchema,
  ProblemDetailsWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACME_ALLOWLIST,
  codeHook,
  installCodePlugin,
  installedCodePlugin,
  pluginModule,
} from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { POSTMARK, postmarkMessage, sendWebhook } from "./webhook-fixtures.js";

const TOKEN = "pm-token-runtime-5Vb3-shared-secret";
const passing = (id: string) =>
  pluginModule(id, `return { run: () => ({ action: "passthrough" }) };`);

describe("plugin runtimes through the API", { timeout: 30_000 }, () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("plugin-runtime-api", ACME_ALLOWLIST);
    await server.request("PUT", `/v1/plugins/${POSTMARK}/secrets`, {
      body: { secrets: { postmark_inbound_token: TOKEN } },
    });
  });
  afterAll(() => server.stop());

  const health = async (id: string) => {
    const response = await server.request("GET", `/v1/plugins/${id}/health`);
    expect(response.status).toBe(200);
    return PluginHealthResponseWireSchema.parse(await response.json()).runtime;
  };
  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());

  it("reports how each kind of plugin runs", async () => {
    expect(await health("action.smtp-reviewed-send")).toMatchObject({
      mode: "native",
      state: "ready",
      healthy: true,
    });
    expect(await health("channel.fax.faxline")).toMatchObject({
      mode: "declarative_http",
      state: "ready",
    });
    expect(await health("hook.rate-limit")).toMatchObject({
      mode: "native",
      state: "not_running",
      detail: "the plugin is disabled",
    });
    expect(await health("provider.smtp-relay")).toMatchObject({ mode: "none", healthy: true });
    expect((await server.request("GET", "/v1/plugins/hook.nowhere/health")).status).toBe(404);
  });

  it("runs an installed hook and records each transition of its instance", async () => {
    await installedCodePlugin(
      server,
      codeHook("hook.acme-runtime", "1.0.0"),
      passing("hook.acme-runtime"),
    );
    const runtime = await health("hook.acme-runtime");
    expect(runtime).toMatchObject({
      mode: "sandbox",
      state: "running",
      healthy: true,
      version: "1.0.0",
      loads: 1,
    });
    expect(runtime.transitions.map((transition) => transition.to)).toEqual([
      "validated",
      "loading",
      "starting",
      "running",
    ]);
    const detail = PluginDetailResponseWireSchema.parse(
      await (await server.request("GET", "/v1/plugins/hook.acme-runtime")).json(),
    );
    expect(detail.runtime.state).toBe("running");
  });

  it("reloads a fresh instance, and stops and starts it with disable and enable", async () => {
    const reloaded = await server.request("POST", "/v1/plugins/hook.acme-runtime/reload", {
      body: {},
    });
    expect(reloaded.status).toBe(200);
    const after = PluginDetailResponseWireSchema.parse(await reloaded.json()).runtime;
    expect(after.state).toBe("running");
    expect(after.transitions.filter((transition) => transition.to === "running")).toHaveLength(2);

    const disabled = PluginDetailResponseWireSchema.parse(
      await (
        await server.request("POST", "/v1/plugins/hook.acme-runtime/disable", { body: {} })
      ).json(),
    );
    expect(disabled.runtime).toMatchObject({
      state: "not_running",
      detail: "the plugin is disabled",
    });
    expect(disabled.runtime.transitions.at(-1)?.to).toBe("stopped");
    const enabled = PluginDetailResponseWireSchema.parse(
      await (
        await server.request("POST", "/v1/plugins/hook.acme-runtime/enable", { body: {} })
      ).json(),
    );
    expect(enabled.runtime.state).toBe("running");
  });

  it("refuses to reload what runs no code, and plugins that do not exist", async () => {
    const declarative = await server.request("POST", "/v1/plugins/channel.fax.faxline/reload", {
      body: {},
    });
    expect(declarative.status).toBe(409);
    expect((await problem(declarative)).errors[0]).toMatchObject({ path: "id", code: "not_code" });
    expect(
      (await server.request("POST", "/v1/plugins/hook.nowhere/reload", { body: {} })).status,
    ).toBe(404);
    expect(
      (await server.request("POST", "/v1/plugins/hook.nowhere/enable", { body: {} })).status,
    ).toBe(404);
  });

  it("keeps the running version when a newer one fails to start, and says why", async () => {
    const broken = pluginModule(
      "hook.acme-runtime",
      `throw new Error("setup cannot reach its config");`,
    );
    const response = await installCodePlugin(
      server,
      codeHook("hook.acme-runtime", "2.0.0"),
      broken,
    );
    expect(response.status).toBe(201);
    const detail = PluginChangeResultWireSchema.parse(await response.json());
    expect(detail.plugin.installation.installed_version).toBe("2.0.0");
    expect(detail.runtime).toMatchObject({ state: "running", version: "1.0.0" });
    expect(detail.runtime.detail).toContain("a newer instance failed to start");
    expect(
      detail.runtime.transitions.some(
        (transition) => transition.version === "2.0.0" && transition.to === "failed",
      ),
    ).toBe(true);
    // Webhooks still pass the 1.0.0 hook.
    const webhook = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage("pm-runtime-kept"),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(webhook.status).toBe(202);
    const rolledBack = await server.request("POST", "/v1/plugins/hook.acme-runtime/rollback", {
      body: {},
    });
    expect(rolledBack.status).toBe(200);
    expect((await health("hook.acme-runtime")).detail).toBeNull();
  });

  it("reports a new plugin whose code cannot start as failed, with the error", async () => {
    const response = await installCodePlugin(
      server,
      codeHook("hook.acme-never", "1.0.0"),
      "export default 42;\n",
    );
    expect(response.status).toBe(201);
    const runtime = await health("hook.acme-never");
    expect(runtime).toMatchObject({ mode: "sandbox", state: "failed", healthy: false });
    expect(runtime.last_error?.code).toBe("load_failed");
  });

  it("stops a runaway hook, marks the plugin unhealthy and restarts it, while webhooks keep their answers", async () => {
    const runaway = pluginModule(
      "hook.acme-runaway",
      `return { run(request) { if (request.headers["x-acme-spin"] === "1") for (;;) {} return { action: "passthrough" }; } };`,
    );
    await installedCodePlugin(
      server,
      codeHook("hook.acme-runaway", "1.0.0", { timeoutMs: 1_000 }),
      runaway,
    );
    const spun = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage("pm-runtime-spin"),
      headers: { authorization: `Bearer ${TOKEN}`, "x-acme-spin": "1" },
    });
    // The hook fails open: the webhook is accepted without its verdict.
    expect(spun.status).toBe(202);
    const after = await health("hook.acme-runaway");
    expect(after.timeouts).toBeGreaterThanOrEqual(1);
    expect(after.transitions.map((transition) => transition.to)).toContain("unhealthy");
    let state = after.state;
    for (let tries = 0; tries < 200 && state !== "running"; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      state = (await health("hook.acme-runaway")).state;
    }
    expect(state).toBe("running");
    expect((await health("hook.acme-runaway")).restarts).toBeGreaterThanOrEqual(1);
  });
});
