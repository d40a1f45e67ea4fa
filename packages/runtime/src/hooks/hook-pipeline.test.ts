import type { HookRequest } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { HookPipelineError } from "./hook-errors.js";
import { createHookPipeline } from "./hook-pipeline.js";
import { sampleInput, testHook } from "./hook-test-kit.js";

describe("hook pipeline: order", () => {
  it("calls a ring's hooks by priority, then id, a constrained hook waiting for its predecessor", async () => {
    const called: string[] = [];
    const hook = (id: string, priority: number, before: string[] = []) =>
      testHook(id, { priority, before }, () => {
        called.push(id);
        return { action: "passthrough" };
      });
    const pipeline = createHookPipeline([
      hook("hook.c", 20),
      hook("hook.b", 10),
      hook("hook.a", 10),
      hook("hook.trace", 99, ["hook.a"]),
    ]);
    await pipeline.run("pre_flight", sampleInput);
    expect(called).toEqual(["hook.b", "hook.c", "hook.trace", "hook.a"]);
    expect(pipeline.order.pre_flight.map((m) => m.id)).toEqual(called);
  });

  it("runs only the hooks of the ring asked for, and tells each hook its ring", async () => {
    const edge = testHook("hook.edge", { ring: "ingress" });
    const auth = testHook("hook.auth", { ring: "pre_flight" });
    const pipeline = createHookPipeline([edge, auth]);
    const outcome = await pipeline.run("ingress", sampleInput);
    expect(outcome.outcome).toBe("continue");
    expect(edge.calls.map((r) => r.ring)).toEqual(["ingress"]);
    expect(auth.calls).toEqual([]);
  });

  it("refuses to build over constraints that form a cycle", () => {
    const build = () =>
      createHookPipeline([
        testHook("hook.a", { after: ["hook.b"] }),
        testHook("hook.b", { after: ["hook.a"] }),
      ]);
    expect(build).toThrow(HookPipelineError);
    expect(build).toThrow("cycle: hook.a → hook.b → hook.a");
  });

  it("refuses breaker settings that make no sense, naming the field", () => {
    expect(() => createHookPipeline([], { breaker: { coolDownMs: -1 } })).toThrow(
      /breaker\.coolDownMs/,
    );
  });
});

describe("hook pipeline: results", () => {
  it("passes a request through unchanged when every hook passes", async () => {
    const pipeline = createHookPipeline([testHook("hook.a"), testHook("hook.b")]);
    const outcome = await pipeline.run("pre_flight", sampleInput);
    expect(outcome).toEqual({
      outcome: "continue",
      request: { ring: "pre_flight", ...sampleInput, metadata: {} },
    });
  });

  it("hands each modify's body and headers to the next hook and returns the last", async () => {
    const first = testHook("hook.first", { priority: 1 }, () => ({
      action: "modify",
      body: { item: "book", quantity: 2 },
    }));
    const second = testHook("hook.second", { priority: 2 }, (request) => ({
      action: "modify",
      headers: { ...request.headers, "x-quantity": String(JSON.stringify(request.body)) },
    }));
    const third = testHook("hook.third", { priority: 3 });
    const outcome = await createHookPipeline([first, second, third]).run("pre_flight", sampleInput);
    expect(second.calls[0]?.body).toEqual({ item: "book", quantity: 2 });
    expect(third.calls[0]).toMatchObject({
      body: { item: "book", quantity: 2 },
      headers: {
        "content-type": "application/json",
        "x-quantity": '{"item":"book","quantity":2}',
      },
    });
    expect(outcome.outcome === "continue" && outcome.request).toEqual(third.calls[0]);
  });

  it("replaces the body with null when a modify sets it to null", async () => {
    const clear = testHook("hook.clear", {}, () => ({ action: "modify", body: null }));
    const outcome = await createHookPipeline([clear]).run("pre_flight", sampleInput);
    expect(outcome.request.body).toBeNull();
  });

  it.each([
    [
      "block",
      { action: "block", status: 429, type: "rate_limited", message: "slow down" } as const,
      { outcome: "block", hookId: "hook.stop", status: 429, type: "rate_limited" },
    ],
    [
      "respond",
      { action: "respond", status: 200, body: { cached: true } } as const,
      { outcome: "respond", hookId: "hook.stop", status: 200, body: { cached: true } },
    ],
  ])("ends the ring at a %s and calls no later hook", async (_, result, expected) => {
    const before = testHook("hook.before", { priority: 1 });
    const stop = testHook("hook.stop", { priority: 2 }, () => result);
    const after = testHook("hook.after", { priority: 3 });
    const outcome = await createHookPipeline([before, stop, after]).run("pre_flight", sampleInput);
    expect(outcome).toMatchObject(expected);
    expect(before.calls).toHaveLength(1);
    expect(after.calls).toEqual([]);
  });

  it("lets every hook read all metadata, each plugin's under its own id", async () => {
    const auth = testHook("hook.auth", { priority: 1 }, () => ({
      action: "passthrough",
      metadata: { "hook.auth": { user: "u1" } },
    }));
    const quota = testHook("hook.quota", { priority: 2 }, (request) => ({
      action: "modify",
      metadata: { "hook.quota": { seenUser: request.metadata["hook.auth"] ?? null } },
    }));
    const reader = testHook("hook.reader", { priority: 3 });
    const outcome = await createHookPipeline([auth, quota, reader]).run("pre_flight", {
      ...sampleInput,
      metadata: { "hook.edge": "from ingress" },
    });
    const expected = {
      "hook.edge": "from ingress",
      "hook.auth": { user: "u1" },
      "hook.quota": { seenUser: { user: "u1" } },
    };
    expect(reader.calls[0]?.metadata).toEqual(expected);
    expect(outcome.request.metadata).toEqual(expected);
  });

  it("treats a write into another plugin's metadata as a bad result and keeps the metadata", async () => {
    const auth = testHook("hook.auth", { priority: 1 }, () => ({
      action: "passthrough",
      metadata: { "hook.auth": { user: "u1" } },
    }));
    const forger = testHook("hook.forger", { priority: 2 }, () => ({
      action: "passthrough",
      metadata: { "hook.auth": { user: "admin" } },
    }));
    const reader = testHook("hook.reader", { priority: 3 });
    const pipeline = createHookPipeline([auth, forger, reader]);
    await pipeline.run("pre_flight", sampleInput);
    expect(reader.calls[0]?.metadata).toEqual({ "hook.auth": { user: "u1" } });
    expect(pipeline.stats().find((s) => s.id === "hook.forger")?.failures.bad_result).toBe(1);
  });

  it("does not let an in-process hook's later edits to its result reach the next hook", async () => {
    let returned: { action: "modify"; body: { n: number } } | undefined;
    const first = testHook("hook.first", { priority: 1 }, () => {
      returned = { action: "modify", body: { n: 1 } };
      return returned;
    });
    const second = testHook("hook.second", { priority: 2 }, async (request: HookRequest) => {
      if (returned !== undefined) returned.body.n = 2;
      return { action: "modify", body: request.body };
    });
    const outcome = await createHookPipeline([first, second]).run("pre_flight", sampleInput);
    expect(outcome.request.body).toEqual({ n: 1 });
  });
});

describe("hook pipeline: stats", () => {
  it("counts calls per hook and starts with closed breakers", async () => {
    const pipeline = createHookPipeline([
      testHook("hook.a"),
      testHook("hook.z", { ring: "background", failMode: "closed" }),
    ]);
    await pipeline.run("pre_flight", sampleInput);
    await pipeline.run("pre_flight", sampleInput);
    expect(pipeline.stats()).toEqual([
      {
        id: "hook.a",
        ring: "pre_flight",
        failMode: "open",
        calls: 2,
        failures: { throw: 0, rejection: 0, timeout: 0, bad_result: 0, crash: 0 },
        bypasses: 0,
        breakerSkips: 0,
        breaker: { state: "closed", consecutiveFailures: 0 },
      },
      {
        id: "hook.z",
        ring: "background",
        failMode: "closed",
        calls: 0,
        failures: { throw: 0, rejection: 0, timeout: 0, bad_result: 0, crash: 0 },
        bypasses: 0,
        breakerSkips: 0,
        breaker: { state: "closed", consecutiveFailures: 0 },
      },
    ]);
  });
});
