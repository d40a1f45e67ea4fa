import { describe, expect, it, vi } from "vitest";
import { createHookPipeline } from "./hook-pipeline.js";
import { never, sampleInput, testHook } from "./hook-test-kit.js";

const waitFor = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

describe("hook timeouts", () => {
  it("gives up on a hook at its manifest's timeoutMs and aborts its signal", async () => {
    const hung = testHook("hook.hung", { timeoutMs: 15 }, never);
    const started = performance.now();
    const outcome = await createHookPipeline([hung]).run("pre_flight", sampleInput);
    expect(performance.now() - started).toBeGreaterThanOrEqual(14);
    expect(outcome.outcome).toBe("continue");
    const signal = hung.signals[0];
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toMatchObject({
      name: "TimeoutError",
      message: 'hook "hook.hung" timed out after 15 ms',
    });
  });

  it("times each request's call on its own: a slow request does not abort a fast one", async () => {
    const hook = testHook("hook.lookup", { timeoutMs: 30, failMode: "closed" }, (request) =>
      request.path === "/slow"
        ? never()
        : new Promise((resolve) => setTimeout(() => resolve({ action: "passthrough" }), 5)),
    );
    const pipeline = createHookPipeline([hook]);
    const [slow, fast] = await Promise.all([
      pipeline.run("pre_flight", { ...sampleInput, path: "/slow" }),
      pipeline.run("pre_flight", { ...sampleInput, path: "/fast" }),
    ]);
    expect(slow).toMatchObject({ outcome: "fail", failure: "timeout" });
    expect(fast.outcome).toBe("continue");
    const [slowSignal, fastSignal] = hook.signals;
    expect(slowSignal).not.toBe(fastSignal);
    expect(slowSignal?.aborted).toBe(true);
    expect(fastSignal?.aborted).toBe(false);
  });

  it("lets a hook that listens to its signal stop its work on the timeout", async () => {
    const cleanedUp = vi.fn();
    const listener = testHook("hook.listener", { timeoutMs: 10 }, (_, signal) =>
      waitFor(signal).finally(cleanedUp),
    );
    await createHookPipeline([listener]).run("pre_flight", sampleInput);
    await vi.waitFor(() => expect(cleanedUp).toHaveBeenCalledOnce());
  });

  it("ignores a result that arrives after the timeout, counting only the timeout", async () => {
    let resolveLate: (value: unknown) => void = () => {};
    const late = testHook(
      "hook.late",
      { timeoutMs: 10 },
      () =>
        new Promise((resolve) => {
          resolveLate = resolve;
        }),
    );
    const next = testHook("hook.next", { priority: 200 });
    const pipeline = createHookPipeline([late, next]);
    const outcome = await pipeline.run("pre_flight", sampleInput);
    resolveLate({ action: "respond", status: 200, body: "too late" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(outcome.outcome).toBe("continue");
    expect(pipeline.stats()[0]).toMatchObject({ failures: { timeout: 1 }, bypasses: 1 });
  });

  it("leaves the signal of a hook that finishes in time unaborted", async () => {
    const quick = testHook("hook.quick", { timeoutMs: 10 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { action: "passthrough" };
    });
    await createHookPipeline([quick]).run("pre_flight", sampleInput);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(quick.signals[0]?.aborted).toBe(false);
  });

  it("never hands a later call a signal that a hook still listens to", async () => {
    let listen = true;
    const hook = testHook("hook.reuse", { timeoutMs: 10 }, (_, signal) => {
      if (listen) signal.addEventListener("abort", () => {});
      return { action: "passthrough" };
    });
    const pipeline = createHookPipeline([hook]);
    await pipeline.run("pre_flight", sampleInput);
    listen = false;
    await pipeline.run("pre_flight", sampleInput);
    await pipeline.run("pre_flight", sampleInput);
    const [listened, second, third] = hook.signals;
    expect(second).not.toBe(listened);
    // A signal nobody listened to is reused: creating one costs more than the call.
    expect(third).toBe(second);
  });

  it("never hands a later call a signal that a timeout aborted", async () => {
    let hang = true;
    const hook = testHook("hook.reuse", { timeoutMs: 10 }, () =>
      hang ? never() : { action: "passthrough" },
    );
    const pipeline = createHookPipeline([hook]);
    await pipeline.run("pre_flight", sampleInput);
    hang = false;
    await pipeline.run("pre_flight", sampleInput);
    const [timedOut, later] = hook.signals;
    expect(timedOut?.aborted).toBe(true);
    expect(later).not.toBe(timedOut);
    expect(later?.aborted).toBe(false);
  });
});
