import type { ActionError } from "@plugboard/contracts";
import type { ExecutionOutcome } from "./action-executor-implementation.js";

/** The claimed attempt that steps see. Steps read it; they cannot change what is sent. */
export interface ExecutionContext {
  readonly actionId: string;
  readonly workerId: string;
  readonly kind: string;
  readonly destinationProvider: string;
  readonly executorPluginId: string;
  readonly payload: unknown;
  readonly idempotencyKey: string;
  readonly attempt: number;
  /** The token id (or `system`) that requested the action. */
  readonly requestedBy: string;
  /** The token id that approved it; null when it needed no review. */
  readonly reviewedBy: string | null;
}

/**
 * What a `pre_flight` step decides: go on; stop this attempt for good before anything is
 * sent (`block`); or put it off, nothing sent, to be attempted again after a backoff
 * (`defer`, such as for a rate limit).
 */
export type PreFlightVerdict =
  | { readonly type: "continue" }
  | { readonly type: "block"; readonly error: ActionError }
  | { readonly type: "defer"; readonly error: ActionError };

/**
 * A step around every execution, run in list order. `pre_flight` steps run after the claim
 * and before the executor; a block (or a throw) ends the attempt as a permanent error with
 * nothing sent, a defer as a retryable one. `post_flight` steps run after the executor and
 * before the outcome is recorded; they see the outcome, and a throw is logged without
 * changing it.
 */
export type ExecutionStep =
  | {
      readonly name: string;
      readonly stage: "pre_flight";
      run(context: ExecutionContext): Promise<PreFlightVerdict>;
    }
  | {
      readonly name: string;
      readonly stage: "post_flight";
      run(context: ExecutionContext, outcome: ExecutionOutcome): Promise<void>;
    }
  /**
   * Wraps the execution, for a step that must hold something from before it to after it:
   * it runs after the `pre_flight` steps and calls `execute` at most once (not calling it
   * sends nothing). It may return the outcome with other details (a redacted result or
   * error message), never another type: what happened stays recorded as it happened. The
   * first `around` step is the outermost. A throw before `execute` is a permanent error with
   * nothing sent; after it, the outcome stands.
   */
  | {
      readonly name: string;
      readonly stage: "around";
      run(
        context: ExecutionContext,
        execute: () => Promise<ExecutionOutcome>,
      ): Promise<ExecutionOutcome>;
    };

/** Where a step that threw is reported. */
export type StepFailureLog = (step: string, error: unknown) => void;

/** Runs the `pre_flight` steps, the execution, then the `post_flight` steps. */
export async function runExecutionPipeline(
  steps: readonly ExecutionStep[],
  context: ExecutionContext,
  execute: () => Promise<ExecutionOutcome>,
  logFailure: StepFailureLog,
): Promise<ExecutionOutcome> {
  for (const step of steps) {
    if (step.stage !== "pre_flight") continue;
    let verdict: PreFlightVerdict;
    try {
      verdict = await step.run(context);
    } catch (error) {
      logFailure(step.name, error);
      verdict = {
        type: "block",
        error: { code: "pre_flight_failed", message: `step ${step.name} failed` },
      };
    }
    if (verdict.type === "block") return { type: "permanent", error: verdict.error };
    if (verdict.type === "defer") return { type: "retryable", error: verdict.error };
  }
  const outcome = await runAround(steps, context, execute, logFailure);
  for (const step of steps) {
    if (step.stage !== "post_flight") continue;
    try {
      await step.run(context, outcome);
    } catch (error) {
      logFailure(step.name, error);
    }
  }
  return outcome;
}

type AroundStep = Extract<ExecutionStep, { stage: "around" }>;

/** Nests the `around` steps around the execution, the first outermost. */
function runAround(
  steps: readonly ExecutionStep[],
  context: ExecutionContext,
  execute: () => Promise<ExecutionOutcome>,
  logFailure: StepFailureLog,
): Promise<ExecutionOutcome> {
  const arounds = steps.filter((step): step is AroundStep => step.stage === "around");
  return arounds.reduceRight<() => Promise<ExecutionOutcome>>(
    (inner, step) => async () => {
      let executed: ExecutionOutcome | undefined;
      let running: Promise<ExecutionOutcome> | undefined;
      const once = () => {
        running ??= inner().then((outcome) => {
          executed = outcome;
          return outcome;
        });
        return running;
      };
      try {
        const returned = await step.run(context, once);
        if (executed === undefined || returned.type === executed.type) return returned;
        logFailure(
          step.name,
          new Error(`changed the outcome from ${executed.type} to ${returned.type}`),
        );
        return executed;
      } catch (error) {
        logFailure(step.name, error);
        return (
          executed ?? {
            type: "permanent",
            error: { code: "pre_flight_failed", message: `step ${step.name} failed` },
          }
        );
      }
    },
    execute,
  )();
}
