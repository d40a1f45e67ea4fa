import type { FailMode } from "@plugboard/plugin-sdk";
import { describe, expect, it, vi } from "vitest";
import { type Hook, type HookFailureKind, HookInvocationError } from "./hook.js";
import { createHookPipeline } from "./hook-pipeline.js";
import { never, sampleInput, testHook } from "./hook-test-kit.js";

/** One way for a hook to fail, and how the failure message starts. */
const FAILURES: ReadonlyArray<[HookFailureKind, string, Hook["invoke"], RegExp]> = [
  [
    "throw",
    "throws synchronously",
    () => {
      throw new Error("boom");
    },
    /threw Error: boom/,
  ],
  ["rejection", "rejects with a string", () => Promise.reject("plain"), /rejected with plain/],
  [
    "rejection",
    "returns a rejected promise",
    async () => Promise.reject(new TypeError("bad")),
    /rejected with TypeError: bad/,
  ],
  ["timeout", "never settles", never, /timed out after 20 ms/],
  ["bad_result", "returns nothing", () => undefined, /returned an invalid result/],
  [
    "bad_result",
    "returns an unknown action",
    async () => ({ action: "drop" }),
    /returned an invalid result \(action/,
  ],
  [
    "bad_result",
    "returns a result whose getter throws",
    () => ({
      get action(): string {
        throw new Error("getter");
      },
    }),
    /returned a value that cannot be read/,
  ],
  [
    "crash",
    "is reported crashed by its invoker",
    async () => Promise.reject(new HookInvocationError("crash", "isolate ran out of memory")),
    /crashed: isolate ran out of memory/,
  ],
  [
    "bad_result",
    "returns what its invoker cannot pass back",
    async () => Promise.reject(new HookInvocationError("bad_result", "a function is not JSON")),
    /returned an invalid result: a function is not JSON/,
  ],
  [
    "timeout",
    "is stopped at its limit by its invoker",
    async () => Promise.reject(new HookInvocationError("timeout", "CPU time limit reached")),
    /was stopped at its time limit: CPU time limit/,
  ],
];

function pipelineWith(failMode: FailMode, invoke: Hook["invoke"]) {
  const failing = testHook("hook.failing", { priority: 1, failMode, timeoutMs: 20 }, invoke);
  const next = testHook("hook.next", { priority: 2 });
  const onFailure = vi.fn();
  return { pipeline: createHookPipeline([failing, next], { onFailure }), next, onFailure };
}

describe.each(FAILURES)("a hook that fails by %s (it %s)", (kind, _, invoke, message) => {
  it("under fail open: the request goes on to the next hook, counting a bypass", async () => {
    const { pipeline, next, onFailure } = pipelineWith("open", invoke);
    const outcome = await pipeline.run("pre_flight", sampleInput);
    expect(outcome.outcome).toBe("continue");
    expect(next.calls).toHaveLength(1);
    const stats = pipeline.stats()[0];
    expect(stats?.calls).toBe(1);
    expect(stats?.failures[kind]).toBe(1);
    expect(stats?.bypasses).toBe(1);
    expect(onFailure).toHaveBeenCalledWith(
      expect.objectContaining({ hookId: "hook.failing", kind, failMode: "open" }),
    );
    expect(onFailure.mock.calls[0]?.[0].message).toMatch(message);
  });

  it("under fail closed: the request stops with an error naming the hook and the failure", async () => {
    const { pipeline, next } = pipelineWith("closed", invoke);
    const outcome = await pipeline.run("pre_flight", sampleInput);
    expect(outcome).toMatchObject({
      outcome: "fail",
      hookId: "hook.failing",
      failure: kind,
      code: "PLUGBOARD_HOOK_FAILED",
      status: 503,
    });
    expect(outcome.outcome === "fail" && outcome.message).toMatch(
      new RegExp(`^hook "hook\\.failing" failed closed \\(${kind}\\): ${message.source}`),
    );
    expect(next.calls).toEqual([]);
    expect(pipeline.stats()[0]).toMatchObject({ failures: { [kind]: 1 }, bypasses: 0 });
  });
});

describe("failure reporting", () => {
  it("keeps to the fail mode when the failure observer itself throws", async () => {
    const failing = testHook("hook.failing", { failMode: "closed" }, () => {
      throw new Error("boom");
    });
    const pipeline = createHookPipeline([failing], {
      onFailure: () => {
        throw new Error("observer broke");
      },
    });
    await expect(pipeline.run("pre_flight", sampleInput)).resolves.toMatchObject({
      outcome: "fail",
    });
  });

  it("hands the host what the hook threw, for its log", async () => {
    const thrown = new Error("secret detail");
    const failing = testHook("hook.failing", { failMode: "closed" }, () => {
      throw thrown;
    });
    const outcome = await createHookPipeline([failing]).run("pre_flight", sampleInput);
    expect(outcome.outcome === "fail" && outcome.error).toBe(thrown);
  });
});
