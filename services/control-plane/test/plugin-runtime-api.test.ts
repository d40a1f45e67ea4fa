import { PluginDetailResponseWireSchema, ProblemDetailsWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  ACME_ALLOWLIST,
  codeHook,
  installedCodePlugin,
  pluginModule,
  pluginRuntime,
  waitUntil,
} from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { POSTMARK, postmarkMessage, sendWebhook, storePostmarkToken } from "./webhook-fixtures.js";

const TOKEN = "pm-token-runtime-5Vb3-shared-secret";
const passing = (id: string) =>
  pluginModule(id, `return { run: () => ({ action: "passthrough" }) };`);

type Transition = z.infer<typeof PluginDetailResponseWireSchema>["runtime"]["transitions"][number];
const statesOf = (transitions: readonly Transition[], instance: string | null) =>
  transitions.filter((transition) => transition.instance === instance).map((t) => t.to);

describe("plugin runtimes through the API", { timeout: 30_000 }, () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("plugin-runtime-api", {
      ...ACME_ALLOWLIST,
      PLUGBOARD_HOOK_DISPATCH: "inline",
      PLUGBOARD_RESTART_BASE_MS: "50",
      PLUGBOARD_RESTART_MAX_MS: "200",
    });
    await storePostmarkToken(server, TOKEN);
  });
  afterAll(() => server.stop());

  const health = (id: string) => pluginRuntime(server, id);
  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());
  const action = async (id: string, name: "reload" | "enable" | "disable") => {
    const response = await server.request("POST", `/v1/plugins/${id}/${name}`, { body: {} });
    expect(response.status, await response.clone().text()).toBe(200);
    return PluginDetailResponseWireSchema.parse(await response.json()).runtime;
  };

  it("reports how each kind of plugin runs", async () => {
    expect(await health("action.smtp-reviewed-send")).toMatchObject({
      mode: "native",
      state: "ready",
      healthy: true,
      dispatch: null,
      hook: null,
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

  it("runs an installed hook and records each transition of its instance, naming the instance", async () => {
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
      dispatch: "inline",
      loads: 1,
      hook: { ring: "ingress", fail_mode: "open", calls: 0, bypasses: 0 },
    });
    const instance = runtime.transitions[0]?.instance ?? null;
    expect(instance).toMatch(/^1\.0\.0#[0-9a-f]{12}$/);
    expect(statesOf(runtime.transitions, instance)).toEqual([
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

  it("reloads a fresh instance, keeps it loaded while disabled, and switches back to it on enable", async () => {
    const [first] = (await health("hook.acme-runtime")).transitions;
    const firstKey = first?.instance ?? null;
    const reloaded = await action("hook.acme-runtime", "reload");
    const reloadedKey = reloaded.transitions.at(-1)?.instance ?? null;
    expect(reloadedKey).toBe(`${firstKey}#reload:1`);
    expect(reloaded.state).toBe("running");
    expect(statesOf(reloaded.transitions, reloadedKey)).toEqual([
      "validated",
      "loading",
      "starting",
      "running",
    ]);

    const disabled = await action("hook.acme-runtime", "disable");
    expect(disabled).toMatchObject({ state: "not_running", detail: "the plugin is disabled" });
    // The instance from before the reload is let go; the one that ran stays loaded for the
    // rollback window, so enabling it again switches back without loading.
    await waitUntil(
      async () =>
        statesOf((await health("hook.acme-runtime")).transitions, firstKey).at(-1) === "stopped",
      "the instance from before the reload to stop",
    );
    expect(statesOf(disabled.transitions, reloadedKey).at(-1)).toBe("running");

    const enabled = await action("hook.acme-runtime", "enable");
    expect(enabled.state).toBe("running");
    expect(statesOf(enabled.transitions, reloadedKey)).toEqual([
      "validated",
      "loading",
      "starting",
      "running",
    ]);
    expect(enabled.loads).toBe(2);
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

  it("stops a runaway hook and restarts it on threads for good, counting across its sandboxes", async () => {
    const runaway = pluginModule(
      "hook.acme-runaway",
      `return { run(request) { if (request.headers["x-acme-spin"] === "1") for (;;) {} return { action: "passthrough" }; } };`,
    );
    await installedCodePlugin(
      server,
      codeHook("hook.acme-runaway", "1.0.0", { timeoutMs: 1_000 }),
      runaway,
    );
    expect(await health("hook.acme-runaway")).toMatchObject({ dispatch: "inline" });
    const spun = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage("pm-runtime-spin"),
      headers: { authorization: `Bearer ${TOKEN}`, "x-acme-spin": "1" },
    });
    // The hook fails open: the webhook is accepted without its verdict.
    expect(spun.status).toBe(202);
    const after = await health("hook.acme-runaway");
    expect(after.timeouts).toBe(1);
    expect(after.transitions.map((transition) => transition.to)).toContain("unhealthy");
    await waitUntil(async () => {
      const runtime = await health("hook.acme-runaway");
      return runtime.state === "running" && runtime.restarts >= 1;
    }, "the runaway hook to restart");
    const restarted = await health("hook.acme-runaway");
    // A new sandbox after the restart; the counters are the plugin's, not the sandbox's.
    expect(restarted).toMatchObject({ dispatch: "thread", timeouts: 1, loads: 2 });
    expect(restarted.hook?.failures.timeout).toBe(1);
    const calm = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage("pm-runtime-calm"),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(calm.status).toBe(202);
    expect((await health("hook.acme-runaway")).calls).toBeGreaterThanOrEqual(2);
  });
});
