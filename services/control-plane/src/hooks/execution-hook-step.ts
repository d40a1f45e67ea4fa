import type { JsonValue } from "@plugboard/plugin-sdk";
import type { HookPipelineOutcome } from "@plugboard/runtime";
import { z } from "zod";
import type { ExecutionOutcome } from "../actions/action-executor-implementation.js";
import type { ExecutionContext, ExecutionStep } from "../actions/execution-pipeline.js";
import type { HookSeamLog, HookSource } from "./hook-source.js";

/** A block with these statuses puts the attempt off instead of ending it. */
const LATER_STATUSES = new Set([429, 503]);

function headersOf(context: ExecutionContext): Record<string, string> {
  return {
    "x-plugboard-action-id": context.actionId,
    "x-plugboard-worker": context.workerId,
    "x-plugboard-actor": context.requestedBy,
    ...(context.reviewedBy === null ? {} : { "x-plugboard-reviewer": context.reviewedBy }),
    "x-plugboard-destination": context.destinationProvider,
    "x-plugboard-attempt": String(context.attempt),
  };
}

function actionBody(context: ExecutionContext): Record<string, JsonValue> {
  return {
    action_id: context.actionId,
    kind: context.kind,
    destination_provider: context.destinationProvider,
    executor: context.executorPluginId,
    attempt: context.attempt,
    payload: JSON.parse(JSON.stringify(context.payload ?? null)) as JsonValue,
  };
}

function outcomeBody(outcome: ExecutionOutcome): Record<string, JsonValue> {
  return JSON.parse(JSON.stringify(outcome)) as Record<string, JsonValue>;
}

const OutcomeDetailsSchema = z.union([
  z.strictObject({ type: z.literal("succeeded"), result: z.record(z.string(), z.unknown()) }),
  z.strictObject({
    type: z.enum(["retryable", "permanent", "unknown"]),
    error: z.strictObject({ code: z.string().min(1), message: z.string() }),
  }),
]);

/** The outcome with a post_flight hook's details, when they are an outcome of the same type. */
function detailsFrom(body: JsonValue, original: ExecutionOutcome): ExecutionOutcome | undefined {
  const candidate =
    body !== null && typeof body === "object" && !Array.isArray(body) ? body.outcome : undefined;
  const parsed = OutcomeDetailsSchema.safeParse(candidate);
  if (!parsed.success || parsed.data.type !== original.type) return undefined;
  return parsed.data;
}

/** What is recorded when a fail-closed post_flight hook could not check the outcome. */
function withheld(outcome: ExecutionOutcome, hookId: string): ExecutionOutcome {
  const note = `withheld: ${hookId} could not check this outcome`;
  return outcome.type === "succeeded"
    ? { type: "succeeded", result: { withheld: note } }
    : { ...outcome, error: { code: outcome.error.code, message: note } };
}

function refusal(outcome: Exclude<HookPipelineOutcome, { outcome: "continue" }>) {
  switch (outcome.outcome) {
    case "block":
      return {
        type: LATER_STATUSES.has(outcome.status) ? ("defer" as const) : ("block" as const),
        error: {
          code: "hook_blocked",
          message: `${outcome.hookId} refused the execution (${outcome.status} ${outcome.type}): ${outcome.message}`,
        },
      };
    case "respond":
      return {
        type: "block" as const,
        error: {
          code: "hook_answered",
          message: `${outcome.hookId} answered in place of the executor (${outcome.status}); nothing was sent`,
        },
      };
    case "fail":
      return {
        type: "defer" as const,
        error: {
          code: "hook_failed",
          message: `hook ${outcome.hookId} failed (${outcome.failure}) and fails closed; nothing was sent`,
        },
      };
    default: {
      const exhaustive: never = outcome;
      return exhaustive;
    }
  }
}

function refused(outcome: Exclude<HookPipelineOutcome, { outcome: "continue" }>): ExecutionOutcome {
  const verdict = refusal(outcome);
  return verdict.type === "defer"
    ? { type: "retryable", error: verdict.error }
    : { type: "permanent", error: verdict.error };
}

/**
 * The `pre_flight` and `post_flight` rings around every action execution, as one step that
 * holds one pipeline from before the send to after it. Hooks see `POST /actions/<kind>` with
 * `x-plugboard-*` headers naming the action, worker, requester, reviewer, destination and
 * attempt. In `pre_flight` the body is the action and its payload: a `modify` changes only
 * metadata (what a reviewer approved is what is sent); a `block` ends the attempt for good,
 * or puts it off when its status is 429 or 503; a `respond` ends it; a fail-closed failure
 * puts it off. In `post_flight` the body also holds `outcome`, and the metadata `pre_flight`
 * wrote is there: a `modify` may change the outcome's details (a redacted result), never its
 * type; a fail-closed failure withholds the details from the record.
 */
export function executionHookStep(hooks: HookSource, log: HookSeamLog): ExecutionStep {
  return {
    name: "execution hooks",
    stage: "around",
    async run(context, execute) {
      if (!hooks.hasHooks("pre_flight") && !hooks.hasHooks("post_flight")) return execute();
      const lease = hooks.acquire();
      try {
        const { pipeline } = lease;
        let metadata: Readonly<Record<string, JsonValue>> = {};
        if (pipeline.order.pre_flight.length > 0) {
          const before = await pipeline.run("pre_flight", {
            method: "POST",
            path: `/actions/${context.kind}`,
            headers: headersOf(context),
            body: actionBody(context),
          });
          if (before.outcome !== "continue") {
            if (before.outcome === "fail") {
              log.warn(
                { err: before.error, hookId: before.hookId, actionId: context.actionId },
                "a fail-closed pre_flight hook failed; nothing was sent",
              );
            }
            return refused(before);
          }
          metadata = before.request.metadata;
        }
        const outcome = await execute();
        if (pipeline.order.post_flight.length === 0) return outcome;
        const after = await pipeline.run("post_flight", {
          method: "POST",
          path: `/actions/${context.kind}`,
          headers: headersOf(context),
          body: { ...actionBody(context), outcome: outcomeBody(outcome) },
          metadata,
        });
        switch (after.outcome) {
          case "continue":
            return detailsFrom(after.request.body, outcome) ?? outcome;
          case "fail":
            log.warn(
              { err: after.error, hookId: after.hookId, actionId: context.actionId },
              "a fail-closed post_flight hook failed; the outcome's details are withheld",
            );
            return withheld(outcome, after.hookId);
          case "block":
          case "respond":
            log.warn(
              { hookId: after.hookId, actionId: context.actionId, outcome: outcome.type },
              "a post_flight hook ended its ring after the execution; the outcome stands",
            );
            return outcome;
          default: {
            const exhaustive: never = after;
            return exhaustive;
          }
        }
      } finally {
        lease.release();
      }
    },
  };
}
