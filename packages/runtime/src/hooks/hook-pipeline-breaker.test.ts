import type { FailMode } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { createHookPipeline } from "./hook-pipeline.js";
import { sampleInput, testHook } from "./hook-test-kit.js";

/** A hook that fails while `state.healthy` is false, and a pipeline on a clock the test sets. */
function flakyPipeline(failMode: FailMode) {
  const state = { healthy: false, time: 0 };
  const flaky = testHook("hook.flaky", { priority: 1, failMode }, () => {
    if (!state.healthy) throw new Error("backend down");
    return { action: "passthrough" };
  });
  const next = testHook("hook.next", { priority: 2 });
  const pipeline = createHookPipeline([flaky, next], {
    breaker: { failureThreshold: 3, coolDownMs: 1_000 },
    now: () => state.time,
  });
  const run = () => pipeline.run("pre_flight", sampleInput);
  const flakyStats = () => pipeline.stats()[0];
  return { state, flaky, next, pipeline, run, flakyStats };
}

describe("circuit breaker on a fail-open hook", () => {
  it("skips the hook once it has failed the threshold times in a row, counting bypasses", async () => {
    const { flaky, next, run, flakyStats } = flakyPipeline("open");
    for (let i = 0; i < 5; i++) expect((await run()).outcome).toBe("continue");
    expect(flaky.calls).toHaveLength(3);
    expect(next.calls).toHaveLength(5);
    expect(flakyStats()).toMatchObject({
      calls: 3,
      failures: { throw: 3 },
      bypasses: 5,
      breakerSkips: 2,
      breaker: { state: "open", consecutiveFailures: 3 },
    });
  });

  it("calls it again after the cool-down as a probe and closes when the probe succeeds", async () => {
    const { state, flaky, run, flakyStats } = flakyPipeline("open");
    for (let i = 0; i < 3; i++) await run();
    state.time = 999;
    await run();
    expect(flaky.calls).toHaveLength(3);
    state.time = 1_000;
    state.healthy = true;
    await run();
    expect(flaky.calls).toHaveLength(4);
    expect(flakyStats()?.breaker).toEqual({ state: "closed", consecutiveFailures: 0 });
    await run();
    expect(flaky.calls).toHaveLength(5);
  });

  it("reopens when the probe fails, and waits a full cool-down again", async () => {
    const { state, flaky, run, flakyStats } = flakyPipeline("open");
    for (let i = 0; i < 3; i++) await run();
    state.time = 1_000;
    await run();
    expect(flaky.calls).toHaveLength(4);
    expect(flakyStats()?.breaker.state).toBe("open");
    state.time = 1_999;
    await run();
    expect(flaky.calls).toHaveLength(4);
    state.time = 2_000;
    state.healthy = true;
    await run();
    expect(flakyStats()?.breaker.state).toBe("closed");
  });

  it("lets only one probe through while it runs; concurrent requests skip the hook", async () => {
    let release: () => void = () => {};
    let failing = true;
    const slow = testHook("hook.slow", { failMode: "open", timeoutMs: 1_000 }, () => {
      if (failing) throw new Error("down");
      return new Promise((resolve) => {
        release = () => resolve({ action: "passthrough" });
      });
    });
    let time = 0;
    const pipeline = createHookPipeline([slow], {
      breaker: { failureThreshold: 1, coolDownMs: 10 },
      now: () => time,
    });
    await pipeline.run("pre_flight", sampleInput);
    failing = false;
    time = 10;
    const probe = pipeline.run("pre_flight", sampleInput);
    await pipeline.run("pre_flight", sampleInput);
    await pipeline.run("pre_flight", sampleInput);
    expect(slow.calls).toHaveLength(2);
    expect(pipeline.stats()[0]?.breaker.state).toBe("half_open");
    release();
    await probe;
    expect(pipeline.stats()[0]).toMatchObject({ breakerSkips: 2, breaker: { state: "closed" } });
  });
});

describe("circuit breaker on a fail-closed hook", () => {
  it("never skips the hook: every request calls it and fails closed while it fails", async () => {
    const { flaky, next, run, flakyStats } = flakyPipeline("closed");
    for (let i = 0; i < 10; i++) {
      expect(await run()).toMatchObject({ outcome: "fail", hookId: "hook.flaky" });
    }
    expect(flaky.calls).toHaveLength(10);
    expect(next.calls).toEqual([]);
    expect(flakyStats()).toMatchObject({
      calls: 10,
      bypasses: 0,
      breakerSkips: 0,
      breaker: { state: "open", consecutiveFailures: 10 },
    });
  });

  it("lets traffic through again on the first request after the hook recovers, cool-down or not", async () => {
    const { state, next, run, flakyStats } = flakyPipeline("closed");
    for (let i = 0; i < 5; i++) await run();
    state.healthy = true;
    expect((await run()).outcome).toBe("continue");
    expect(next.calls).toHaveLength(1);
    expect(flakyStats()?.breaker).toEqual({ state: "closed", consecutiveFailures: 0 });
  });

  it("keeps checking a tripped fail-closed hook that now blocks: no request gets through", async () => {
    let mode: "fail" | "block" = "fail";
    const guard = testHook("hook.guard", { failMode: "closed" }, () => {
      if (mode === "fail") throw new Error("down");
      return { action: "block", status: 403, type: "forbidden", message: "no" };
    });
    const pipeline = createHookPipeline([guard], { breaker: { failureThreshold: 1 } });
    await pipeline.run("pre_flight", sampleInput);
    mode = "block";
    expect(await pipeline.run("pre_flight", sampleInput)).toMatchObject({ outcome: "block" });
  });
});

describe("carrying breakers and counters into a rebuilt pipeline", () => {
  it("keeps the open breaker and counts of a hook that is in both pipelines", async () => {
    const { flaky, next, pipeline, state } = flakyPipeline("open");
    for (let i = 0; i < 4; i++) await pipeline.run("pre_flight", sampleInput);
    const added = testHook("hook.added", { priority: 3 });
    const rebuilt = createHookPipeline([flaky, next, added], {
      breaker: { failureThreshold: 3, coolDownMs: 1_000 },
      now: () => state.time,
      carry: pipeline,
    });
    await rebuilt.run("pre_flight", sampleInput);
    // Still open: the rebuilt pipeline skips it without calling it.
    expect(flaky.calls).toHaveLength(3);
    expect(rebuilt.stats()).toEqual([
      expect.objectContaining({
        id: "hook.flaky",
        calls: 3,
        breakerSkips: 2,
        breaker: { state: "open", consecutiveFailures: 3 },
      }),
      expect.objectContaining({ id: "hook.next", calls: 5 }),
      expect.objectContaining({ id: "hook.added", calls: 1 }),
    ]);
    // The old pipeline sees the same counts while calls on it finish.
    expect(pipeline.stats()[1]).toMatchObject({ id: "hook.next", calls: 5 });
  });

  it("starts afresh for a different hook object with the same id", async () => {
    const { pipeline, state } = flakyPipeline("open");
    for (let i = 0; i < 3; i++) await pipeline.run("pre_flight", sampleInput);
    const replacement = testHook("hook.flaky", { priority: 1 });
    const rebuilt = createHookPipeline([replacement], {
      now: () => state.time,
      carry: pipeline,
    });
    await rebuilt.run("pre_flight", sampleInput);
    expect(replacement.calls).toHaveLength(1);
    expect(rebuilt.stats()[0]).toMatchObject({
      calls: 1,
      breaker: { state: "closed", consecutiveFailures: 0 },
    });
  });
});
