import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACME_ALLOWLIST,
  codeHook,
  installedCodePlugin,
  pluginModule,
  pluginRuntime,
} from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { storePostmarkToken } from "./webhook-fixtures.js";
import { deliverPostmark, storedSubjects } from "./webhook-senders.js";

const TOKEN = "pm-token-failures-3Pv7-shared-secret";

/** One fail-open ingress hook per way a sandboxed call can fail, each `run` body failing so. */
const FAILING = {
  "hook.acme-throws": `run() { throw new Error("thrown on purpose"); }`,
  "hook.acme-rejects": `async run() { await null; throw new Error("rejected on purpose"); }`,
  "hook.acme-hangs": `run() { return new Promise(() => {}); }`,
  "hook.acme-garbles": `run() { return { action: "explode" }; }`,
  "hook.acme-hoards": `run() { const hoard = []; for (;;) hoard.push(new Array(100000).fill(Math.random())); }`,
} as const;

describe("hook failures through the API", { timeout: 60_000 }, () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("hook-failures-api", {
      ...ACME_ALLOWLIST,
      // Room for the hoarding hook to reach the memory limit before the CPU limit.
      PLUGBOARD_SANDBOX_MEMORY_MB: "16",
      PLUGBOARD_SANDBOX_CPU_MS: "5000",
      PLUGBOARD_RESTART_BASE_MS: "60000",
    });
    await storePostmarkToken(server, TOKEN);
  });
  afterAll(() => server.stop());

  const stampOf = async (eventId: string | undefined) =>
    (await storedSubjects(server)).get(eventId ?? "");

  it("goes on past a fail-open hook whatever way it fails, counting a bypass for each", async () => {
    let priority = 10;
    for (const [id, run] of Object.entries(FAILING)) {
      await installedCodePlugin(
        server,
        codeHook(id, "1.0.0", { priority: priority++, timeoutMs: 300 }),
        pluginModule(id, `return { ${run} };`),
      );
    }
    const { status, eventId } = await deliverPostmark(server, TOKEN);
    expect(status).toBe(202);
    expect(await stampOf(eventId)).toBe("order");
    const failures = async (id: string) => {
      const runtime = await pluginRuntime(server, id);
      expect(runtime.hook).toMatchObject({ calls: 1, bypasses: 1, fail_mode: "open" });
      return runtime.hook?.failures;
    };
    // A sandboxed hook's own error crosses the boundary asynchronously, so a synchronous
    // throw counts as a rejection, like an async one.
    expect(await failures("hook.acme-throws")).toMatchObject({ rejection: 1 });
    expect(await failures("hook.acme-rejects")).toMatchObject({ rejection: 1 });
    expect(await failures("hook.acme-hangs")).toMatchObject({ timeout: 1 });
    expect(await failures("hook.acme-garbles")).toMatchObject({ bad_result: 1 });
    expect(await failures("hook.acme-hoards")).toMatchObject({ crash: 1 });
    expect(await pluginRuntime(server, "hook.acme-hoards")).toMatchObject({ memory_limits: 1 });
    // Restarting (for a minute), the hoarding hook refuses calls at once: a crash too.
    expect((await deliverPostmark(server, TOKEN)).status).toBe(202);
    expect((await pluginRuntime(server, "hook.acme-hoards")).hook).toMatchObject({
      calls: 2,
      bypasses: 2,
      failures: { crash: 2 },
    });
    for (const id of Object.keys(FAILING)) {
      const disabled = await server.request("POST", `/v1/plugins/${id}/disable`, { body: {} });
      expect(disabled.status).toBe(200);
    }
  });

  it("calls a fail-closed hook on every request however often it failed, and passes traffic once it recovers", async () => {
    const failingWhenAsked = (id: string) =>
      pluginModule(
        id,
        `return {
          run(request) {
            if (request.headers["x-acme-fail"] === "1") throw new Error("asked to fail");
            return { action: "modify", body: { ...request.body, Subject: "[${id}] " + request.body.Subject } };
          },
        };`,
      );
    await installedCodePlugin(
      server,
      codeHook("hook.acme-strict", "1.0.0", { failMode: "closed", priority: 200 }),
      failingWhenAsked("hook.acme-strict"),
    );
    for (let i = 0; i < 7; i++) {
      const { status } = await deliverPostmark(server, TOKEN, { "x-acme-fail": "1" });
      expect(status).toBe(503);
    }
    const tripped = await pluginRuntime(server, "hook.acme-strict");
    expect(tripped.hook).toMatchObject({
      calls: 7,
      bypasses: 0,
      breaker_skips: 0,
      breaker: { state: "open", consecutive_failures: 7 },
    });
    // Recovered: the very next request is checked and passes, cool-down or not.
    const { status, eventId } = await deliverPostmark(server, TOKEN);
    expect(status).toBe(202);
    expect(await stampOf(eventId)).toBe("[hook.acme-strict] order");
    expect((await pluginRuntime(server, "hook.acme-strict")).hook?.breaker.state).toBe("closed");
  });

  it("skips a tripped fail-open hook until its cool-down, unlike a fail-closed one", async () => {
    await installedCodePlugin(
      server,
      codeHook("hook.acme-loose", "1.0.0", { failMode: "open", priority: 100 }),
      pluginModule(
        "hook.acme-loose",
        `return {
          run(request) {
            if (request.headers["x-acme-loosen"] === "1") throw new Error("asked to fail");
            return { action: "modify", body: { ...request.body, Subject: "[loose] " + request.body.Subject } };
          },
        };`,
      ),
    );
    for (let i = 0; i < 5; i++) {
      expect((await deliverPostmark(server, TOKEN, { "x-acme-loosen": "1" })).status).toBe(202);
    }
    const { status, eventId } = await deliverPostmark(server, TOKEN);
    expect(status).toBe(202);
    // The loose hook was skipped; the strict one ran.
    expect(await stampOf(eventId)).toBe("[hook.acme-strict] order");
    expect((await pluginRuntime(server, "hook.acme-loose")).hook).toMatchObject({
      calls: 5,
      breaker_skips: 1,
      breaker: { state: "open" },
    });
  });
});
