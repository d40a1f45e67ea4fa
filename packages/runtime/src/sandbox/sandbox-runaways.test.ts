import { describe, expect, it } from "vitest";
import { SandboxError } from "./sandbox-errors.js";
import { expectStopped, respond, useContainment } from "./testing/containment.js";
import { fixtureSandbox, pluginSource } from "./testing/plugin-fixtures.js";

// Runaways: each is stopped and reported, the plugin marked unhealthy, its isolate disposed,
// while the host keeps serving.
const { contain, track } = useContainment();

describe("runaways", () => {
  it("stops a synchronous infinite loop with timeout", async () => {
    expectStopped(await contain(`return { run() { for (;;) {} } };`), "timeout");
  });

  it("stops a microtask loop with timeout", async () => {
    expectStopped(await contain(`return { async run() { for (;;) await null; } };`), "timeout");
  });

  it("stops an async loop over context calls at the wall-clock limit", async () => {
    const contained = await contain(
      `return { async run() { for (;;) await ctx.storage.get("k"); } };`,
      { limits: { wallTimeMs: 300 } },
    );
    expectStopped(contained, "timeout");
  });

  it("stops a never-settling promise at the wall-clock limit", async () => {
    expectStopped(
      await contain(`return { run: () => new Promise(() => {}) };`, {
        limits: { wallTimeMs: 200 },
      }),
      "timeout",
    );
  });

  it("stops a loop that resumes after a context call with timeout", async () => {
    expectStopped(
      await contain(`return { async run() { await ctx.storage.get("k"); for (;;) {} } };`),
      "timeout",
    );
  });

  it("stops memory growth with memory_limit", async () => {
    const contained = await contain(
      `return { run() { const hoard = []; for (;;) hoard.push(new Array(100000).fill(Math.random())); } };`,
      { limits: { cpuTimeMs: 5_000, wallTimeMs: 10_000 } },
    );
    expectStopped(contained, "memory_limit");
    expect(contained.sandbox.health().memoryLimits).toBe(1);
  });

  it("stops deep recursion with stack_overflow and disposes the isolate", async () => {
    const contained = await contain(
      `return { run() { const down = (n) => down(n + 1) + 1; return down(0); } };`,
    );
    expectStopped(contained, "stack_overflow");
    expect(contained.error?.message).toBe("Maximum call stack size exceeded");
    expect(contained.error?.cause).toBeUndefined();
  });

  it("stops deep recursion after an await with stack_overflow", async () => {
    const contained = await contain(
      `return { async run() { await ctx.storage.get("k"); const down = (n) => down(n + 1) + 1; return down(0); } };`,
    );
    expectStopped(contained, "stack_overflow");
  });

  it("stops recursion that catches its own stack overflow with timeout", async () => {
    expectStopped(
      await contain(
        `return { run() { const down = () => { try { down(); } catch { down(); } }; down(); } };`,
      ),
      "timeout",
    );
  });

  it("stops catastrophic regular-expression backtracking with timeout", async () => {
    expectStopped(await contain(respond(`/^(a+)+$/.test("a".repeat(40) + "b")`)), "timeout");
  });

  it("loads a fresh isolate on the next call after a runaway", async () => {
    const contained = await contain(
      `let calls = 0;
       return { async run() {
         calls += 1;
         if ((await ctx.storage.get("spun")) !== true) { await ctx.storage.set("spun", true); for (;;) {} }
         return { action: "respond", status: 200, body: calls };
       } };`,
    );
    expect(contained.error?.code).toBe("timeout");
    // A fresh isolate: module state starts over, storage persists.
    await expect(contained.sandbox.call("run", [{}])).resolves.toMatchObject({ body: 1 });
    expect(contained.sandbox.health()).toMatchObject({
      healthy: true,
      loads: 2,
      timeouts: 1,
      lastError: { code: "timeout" },
    });
  });
});

describe("values too large", () => {
  it("stops a result larger than the cap as return_too_large", async () => {
    const contained = await contain(respond(`"x".repeat(2 * 1024 * 1024)`), {
      limits: { memoryLimitMb: 64 },
    });
    expectStopped(contained, "return_too_large");
    expect(contained.error?.cause).toBeUndefined();
  });

  it("stops a result too large for the isolate's memory with memory_limit", async () => {
    const contained = await contain(
      respond(`Array.from({ length: 512 }, (_, i) => "y".repeat(1024 * 1024) + i)`),
      { limits: { cpuTimeMs: 5_000, wallTimeMs: 10_000 } },
    );
    expectStopped(contained, "memory_limit");
    expect(contained.sandbox.health().memoryLimits).toBe(1);
  });
});

describe("memory growth", () => {
  it("stops memory growth across awaits with memory_limit", async () => {
    const contained = await contain(
      `return { async run() { const hoard = []; for (;;) { hoard.push(new Array(100000).fill(Math.random())); await ctx.storage.get("k"); } } };`,
      { limits: { cpuTimeMs: 5_000, wallTimeMs: 10_000 } },
    );
    expectStopped(contained, "memory_limit");
  });

  it("stops memory growth during module evaluation with memory_limit", async () => {
    const contained = await contain(`return { run: () => ({ action: "passthrough" }) };`, {
      prelude: `const hoard = []; for (;;) hoard.push(new Array(100000).fill(Math.random()));`,
      limits: { cpuTimeMs: 5_000, loadTimeMs: 10_000 },
    });
    expectStopped(contained, "memory_limit");
  });
});

describe("the CPU budget of a call", () => {
  it("stops a call that spins between context calls once its runs add up past cpuTimeMs", async () => {
    const started = performance.now();
    const contained = await contain(
      `return { async run() { for (;;) { await ctx.storage.get("k"); const end = Date.now() + 45; while (Date.now() < end) {} } } };`,
      { limits: { cpuTimeMs: 100, wallTimeMs: 5_000 } },
    );
    expectStopped(contained, "timeout");
    expect(contained.error?.message).toBe(
      "the call used more than its CPU budget of 100 ms in the isolate",
    );
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it("lets a call that yields often finish while its runs stay within the budget", async () => {
    const contained = await contain(
      `return { async run() { let n = 0; for (let i = 0; i < 200; i++) { await ctx.storage.get("k"); n += 1; } return { action: "respond", status: 200, body: n }; } };`,
      { limits: { cpuTimeMs: 100, wallTimeMs: 5_000 } },
    );
    expect(contained.error).toBeUndefined();
    expect(contained.value).toMatchObject({ body: 200 });
  });

  it("gives each event delivery a budget of its own", async () => {
    const { sandbox, host } = fixtureSandbox(
      pluginSource(
        `let delivered = 0;
         return { async run(request) {
           if (request.path === "/subscribe") {
             await ctx.events.subscribe("escape.*", () => { const end = Date.now() + 60; while (Date.now() < end) {} delivered += 1; });
           }
           return { action: "respond", status: 200, body: delivered };
         } };`,
      ),
      {
        manifest: {
          id: "hook.fixture",
          version: "1.0.0",
          kind: "hook",
          permissions: ["event:subscribe:escape.*"],
        },
        limits: { cpuTimeMs: 100 },
      },
    );
    track(sandbox);
    await sandbox.call("run", [{ path: "/subscribe" }]);
    for (let i = 0; i < 3; i++) {
      await host.bus.publish({
        id: `e${i}`,
        type: "escape.tick",
        version: 1,
        time: new Date().toISOString(),
        source: "test",
        correlationId: `c${i}`,
        data: {},
      });
    }
    await expect
      .poll(() => sandbox.call("run", [{ path: "/" }]), { timeout: 3_000 })
      .toMatchObject({ body: 3 });
    expect(sandbox.health()).toMatchObject({ healthy: true, loads: 1 });
  });
});

describe("inline dispatch", () => {
  it("holds the event loop at most one call's limit for a runaway, then dispatches on the thread pool", async () => {
    const { sandbox } = fixtureSandbox(pluginSource(`return { run() { for (;;) {} } };`), {
      limits: { dispatch: "inline", cpuTimeMs: 50 },
    });
    track(sandbox);
    await sandbox.load();
    const started = performance.now();
    const error = await sandbox.call("run", [{}]).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SandboxError);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(sandbox.health().dispatch).toBe("thread");
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 5);
    await sandbox.call("run", [{}]).catch(() => undefined);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(0);
  });

  it("stops the synchronous part at the call's timeoutMs when it is below cpuTimeMs", async () => {
    const { sandbox } = fixtureSandbox(pluginSource(`return { run() { for (;;) {} } };`), {
      limits: { dispatch: "inline", cpuTimeMs: 3_000, wallTimeMs: 5_000 },
    });
    track(sandbox);
    await sandbox.load();
    const started = performance.now();
    const error = await sandbox
      .call("run", [{}], { timeoutMs: 100 })
      .catch((reason: unknown) => reason);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(error).toMatchObject({
      code: "timeout",
      message: "the call did not settle within its wall-clock limit of 100 ms",
    });
  });
});
