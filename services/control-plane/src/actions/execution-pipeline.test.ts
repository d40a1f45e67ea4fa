import { describe, expect, it } from "vitest";
import type { ExecutionOutcome } from "./action-executor-implementation.js";
import { type ExecutionStep, runExecutionPipeline } from "./execution-pipeline.js";

const context = {
  actionId: "a1",
  workerId: "w1",
  kind: "send_email",
  destinationProvider: "smtp_relay",
  executorPluginId: "action.smtp-reviewed-send",
  payload: {},
  idempotencyKey: "action-a1",
  attempt: 1,
  requestedBy: "system",
  reviewedBy: null,
};
const sent: ExecutionOutcome = { type: "succeeded", result: { message_id: "<x@y>" } };

describe("runExecutionPipeline", () => {
  it("runs pre_flight steps, the execution, then post_flight steps, in list order", async () => {
    const order: string[] = [];
    const steps: ExecutionStep[] = [
      {
        name: "audit-after",
        stage: "post_flight",
        run: async (_context, outcome) => {
          order.push(`post:${outcome.type}`);
        },
      },
      {
        name: "first",
        stage: "pre_flight",
        run: async () => {
          order.push("pre:first");
          return { type: "continue" };
        },
      },
      {
        name: "second",
        stage: "pre_flight",
        run: async () => {
          order.push("pre:second");
          return { type: "continue" };
        },
      },
    ];
    const outcome = await runExecutionPipeline(
      steps,
      context,
      async () => {
        order.push("execute");
        return sent;
      },
      () => {},
    );
    expect(outcome).toBe(sent);
    expect(order).toEqual(["pre:first", "pre:second", "execute", "post:succeeded"]);
  });

  it("ends the attempt as a permanent error, sending nothing, when a pre_flight step blocks or throws", async () => {
    let executed = false;
    const execute = async () => {
      executed = true;
      return sent;
    };
    const blocked = await runExecutionPipeline(
      [
        {
          name: "policy",
          stage: "pre_flight",
          run: async () => ({
            type: "block",
            error: { code: "blocked", message: "outside office hours" },
          }),
        },
      ],
      context,
      execute,
      () => {},
    );
    expect(blocked).toEqual({
      type: "permanent",
      error: { code: "blocked", message: "outside office hours" },
    });
    const failures: string[] = [];
    const threw = await runExecutionPipeline(
      [
        {
          name: "broken",
          stage: "pre_flight",
          run: async () => {
            throw new Error("boom");
          },
        },
      ],
      context,
      execute,
      (step) => failures.push(step),
    );
    expect(threw).toMatchObject({ type: "permanent", error: { code: "pre_flight_failed" } });
    expect(failures).toEqual(["broken"]);
    expect(executed).toBe(false);
  });

  it("keeps the outcome when a post_flight step throws", async () => {
    const failures: string[] = [];
    const outcome = await runExecutionPipeline(
      [
        {
          name: "broken",
          stage: "post_flight",
          run: async () => {
            throw new Error("boom");
          },
        },
      ],
      context,
      async () => sent,
      (step) => failures.push(step),
    );
    expect(outcome).toBe(sent);
    expect(failures).toEqual(["broken"]);
  });

  it("puts the attempt off as a retryable error, sending nothing, when a pre_flight step defers", async () => {
    let executed = false;
    const outcome = await runExecutionPipeline(
      [
        {
          name: "limit",
          stage: "pre_flight",
          run: async () => ({ type: "defer", error: { code: "rate_limited", message: "later" } }),
        },
      ],
      context,
      async () => {
        executed = true;
        return sent;
      },
      () => {},
    );
    expect(outcome).toEqual({
      type: "retryable",
      error: { code: "rate_limited", message: "later" },
    });
    expect(executed).toBe(false);
  });

  it("nests around steps, first outermost, and keeps what an around step may not change", async () => {
    const failures: string[] = [];
    const order: string[] = [];
    const redacted: ExecutionOutcome = { type: "succeeded", result: { message_id: "[redacted]" } };
    const outcome = await runExecutionPipeline(
      [
        {
          name: "outer",
          stage: "around",
          run: async (_context, execute) => {
            order.push("outer:before");
            await execute();
            order.push("outer:after");
            return redacted;
          },
        },
        {
          name: "liar",
          stage: "around",
          run: async (_context, execute) => {
            order.push("inner:before");
            await execute();
            await execute();
            return { type: "permanent", error: { code: "x", message: "y" } };
          },
        },
      ],
      context,
      async () => {
        order.push("execute");
        return sent;
      },
      (step) => failures.push(step),
    );
    expect(outcome).toBe(redacted);
    expect(order).toEqual(["outer:before", "inner:before", "execute", "outer:after"]);
    expect(failures).toEqual(["liar"]);
  });

  it("sends nothing when an around step throws before executing, and keeps the outcome after", async () => {
    let sends = 0;
    const execute = async () => {
      sends++;
      return sent;
    };
    const before = await runExecutionPipeline(
      [{ name: "broken", stage: "around", run: async () => Promise.reject(new Error("boom")) }],
      context,
      execute,
      () => {},
    );
    expect(before).toMatchObject({ type: "permanent", error: { code: "pre_flight_failed" } });
    const after = await runExecutionPipeline(
      [
        {
          name: "late",
          stage: "around",
          run: async (_context, run) => {
            await run();
            throw new Error("after the send");
          },
        },
      ],
      context,
      execute,
      () => {},
    );
    expect(after).toBe(sent);
    expect(sends).toBe(1);
  });
});
