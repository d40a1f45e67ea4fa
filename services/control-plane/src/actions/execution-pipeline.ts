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
}

/** What a `pre_flight` step decides: go on, or stop this attempt before anything is sent. */
export type PreFlightVerdict =
  | { readonly type: "continue" }
  | { readonly type: "block"; readonly error: ActionError };

/**
 * A step around every execution, run in list order. `pre_flight` steps run after the claim
 * and before the executor; a block (or a throw) ends the attempt as a permanent error with
 * nothing sent. `post_flight` steps run after the executor and before the outcome is
 * recorded; they see the outcome, and a throw is logged without changing it.
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
  }
  const outcome = await execute();
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
