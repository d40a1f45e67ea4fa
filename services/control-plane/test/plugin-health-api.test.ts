import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventEnvelope } from "../src/events/event-envelope.js";
import { createInProcessEventBus } from "../src/events/in-process-event-bus.js";
import {
  ACME_ALLOWLIST,
  codeHook,
  installedCodePlugin,
  pluginModule,
  pluginRuntime,
  waitUntil,
} from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { storePostmarkToken } from "./webhook-fixtures.js";
import { deliverPostmark } from "./webhook-senders.js";

const TOKEN = "pm-token-health-8Yc5-shared-secret";

describe("plugin health, restarts and lifecycle events", { timeout: 30_000 }, () => {
  let server: RunningControlPlane;
  const lifecycle: EventEnvelope[] = [];
  const bus = createInProcessEventBus((error) => {
    throw error;
  });

  beforeAll(async () => {
    await bus.subscribe("plugin.lifecycle.>", (event) => {
      lifecycle.push(event);
    });
    server = await startControlPlane(
      "plugin-health-api",
      {
        ...ACME_ALLOWLIST,
        PLUGBOARD_PROBE_INTERVAL_MS: "50",
        PLUGBOARD_RESTART_BASE_MS: "100",
        PLUGBOARD_RESTART_MAX_MS: "400",
      },
      { eventBus: bus },
    );
    await storePostmarkToken(server, TOKEN);
  });
  afterAll(async () => {
    await server.stop();
    await bus.close();
  });

  const eventsOf = (pluginId: string) => lifecycle.filter((event) => event.source === pluginId);

  it("publishes each transition on the event bus as plugin.lifecycle.<state>, naming the instance", async () => {
    const hook = "hook.acme-announced";
    await installedCodePlugin(
      server,
      codeHook(hook, "1.0.0"),
      pluginModule(hook, `return { run: () => ({ action: "passthrough" }) };`),
    );
    const runtime = await pluginRuntime(server, hook);
    const instance = runtime.transitions[0]?.instance;
    await waitUntil(() => eventsOf(hook).length >= 4, "four lifecycle events");
    expect(eventsOf(hook).map((event) => event.type)).toEqual([
      "plugin.lifecycle.validated",
      "plugin.lifecycle.loading",
      "plugin.lifecycle.starting",
      "plugin.lifecycle.running",
    ]);
    expect(eventsOf(hook)[3]?.data).toMatchObject({
      pluginId: hook,
      version: "1.0.0",
      instance,
      from: "starting",
      to: "running",
    });
  });

  it("restarts an unhealthy plugin after waits that double up to the maximum", async () => {
    const hook = "hook.acme-sickly";
    await installedCodePlugin(
      server,
      codeHook(hook, "1.0.0", { permissions: ["storage:read", "storage:write"] }),
      pluginModule(
        hook,
        `return {
          async run(request) {
            if (request.headers["x-acme-sicken"] === "1") await ctx.storage.set("sick", true);
            return { action: "passthrough" };
          },
          async probe() {
            return (await ctx.storage.get("sick")) ? { healthy: false, message: "told to be sick" } : { healthy: true };
          },
        };`,
      ),
    );
    expect((await deliverPostmark(server, TOKEN, { "x-acme-sicken": "1" })).status).toBe(202);
    const restarting = async () =>
      (await pluginRuntime(server, hook)).transitions.filter((t) => t.to === "restarting");
    await waitUntil(async () => (await restarting()).length >= 4, "four restarts", 15_000);
    const waits = (await restarting()).slice(0, 4);
    expect(waits.map((t) => [t.attempt, t.delay_ms])).toEqual([
      [1, 100],
      [2, 200],
      [3, 400],
      [4, 400],
    ]);
    const runtime = await pluginRuntime(server, hook);
    expect(runtime.last_error).toMatchObject({ code: "probe_failed" });
    expect(runtime.restarts).toBeGreaterThanOrEqual(3);
    // Each restart waited out its delay before loading again.
    const transitions = runtime.transitions;
    const waited = transitions.filter((t) => t.to === "restarting").slice(0, 3);
    for (const wait of waited) {
      const next = transitions[transitions.indexOf(wait) + 1];
      expect(next?.to).toBe("loading");
      expect(Date.parse(next?.at ?? "") - Date.parse(wait.at)).toBeGreaterThanOrEqual(
        (wait.delay_ms ?? 0) - 5,
      );
    }
  });

  it("keeps a hook's counters and open breaker when other plugins change", async () => {
    const hook = "hook.acme-wobbly";
    await installedCodePlugin(
      server,
      codeHook(hook, "1.0.0", { priority: 10 }),
      pluginModule(
        hook,
        `return {
          run(request) {
            if (request.headers["x-acme-wobble"] === "1") throw new Error("wobbled");
            return { action: "passthrough" };
          },
        };`,
      ),
    );
    for (let i = 0; i < 5; i++) {
      expect((await deliverPostmark(server, TOKEN, { "x-acme-wobble": "1" })).status).toBe(202);
    }
    const before = await pluginRuntime(server, hook);
    expect(before.hook).toMatchObject({
      calls: 5,
      bypasses: 5,
      breaker: { state: "open", consecutive_failures: 5 },
    });
    // Another plugin's change makes a new generation with a new pipeline.
    const enabled = await server.request("POST", "/v1/plugins/hook.rate-limit/enable", {
      body: {},
    });
    expect(enabled.status).toBe(200);
    expect((await deliverPostmark(server, TOKEN)).status).toBe(202);
    const after = await pluginRuntime(server, hook);
    // Still open: the webhook went past without calling it.
    expect(after.hook).toMatchObject({
      calls: 5,
      bypasses: 6,
      breaker_skips: 1,
      breaker: { state: "open" },
    });
    expect(after.errors).toBe(before.errors);
  });

  it("shows a plugin its config keeps from running as blocked, with a transition and an event", async () => {
    const hook = "hook.acme-unset";
    await installedCodePlugin(
      server,
      codeHook(hook, "1.0.0", {
        configSchema: {
          type: "object",
          properties: { realm: { type: "string", title: "Realm" } },
          required: ["realm"],
          additionalProperties: false,
        },
      }),
      pluginModule(hook, `return { run: () => ({ action: "passthrough" }) };`),
    );
    const blocked = await pluginRuntime(server, hook);
    expect(blocked).toMatchObject({ state: "blocked", healthy: false });
    expect(blocked.detail).toContain("config.realm");
    expect(blocked.transitions).toEqual([
      expect.objectContaining({ to: "blocked", instance: null, version: "1.0.0" }),
    ]);
    await waitUntil(() => eventsOf(hook).length === 1, "the blocked event");
    expect(eventsOf(hook)[0]).toMatchObject({
      type: "plugin.lifecycle.blocked",
      data: { pluginId: hook, to: "blocked", instance: null },
    });
    const configured = await server.request("PUT", `/v1/plugins/${hook}/config`, {
      body: { config: { realm: "north" } },
      headers: { "if-match": '"0"' },
    });
    expect(configured.status).toBe(200);
    expect(await pluginRuntime(server, hook)).toMatchObject({ state: "running", detail: null });
  });
});
