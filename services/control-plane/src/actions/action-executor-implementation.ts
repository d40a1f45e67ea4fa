import {
  type ActionError,
  type ActionResult,
  type Issue,
  issuesFromZod,
} from "@plugboard/contracts";
import type { z } from "zod";

/**
 * What one attempt came to, as the executor judges it from the transport:
 * - `succeeded`: the destination accepted it;
 * - `retryable`: the destination did not accept it and may later (connection refused, an SMTP
 *   4xx reply); it is attempted again after a backoff;
 * - `permanent`: the destination refused it for good (an SMTP 5xx reply, a bad setting);
 * - `unknown`: the transport cannot tell whether it was accepted (the connection dropped
 *   after the message was handed over); it is never attempted again without a person.
 */
export type ExecutionOutcome =
  | { readonly type: "succeeded"; readonly result: ActionResult }
  | { readonly type: "retryable"; readonly error: ActionError }
  | { readonly type: "permanent"; readonly error: ActionError }
  | { readonly type: "unknown"; readonly error: ActionError };

/** One attempt as an executor receives it. */
export interface ActionExecution<P> {
  readonly actionId: string;
  readonly payload: P;
  /** The destination connection's secret values, by secret key name. */
  readonly secrets: ReadonlyMap<string, string>;
  /** The same on every attempt of the action; a transport that can carry it should. */
  readonly idempotencyKey: string;
  readonly attempt: number;
  /** The executor must give up within this time, well inside the claim's lease. */
  readonly timeoutMs: number;
}

/** The code behind an action executor plugin: checks payloads, performs attempts. */
export interface ActionExecutorImplementation {
  /** The id of the `action_executor` manifest this implements. */
  readonly pluginId: string;
  /** The problems of a payload, with paths inside it (`to[0]`); empty when it is accepted. */
  checkPayload(payload: unknown): Issue[];
  /** Performs one attempt; resolves with its outcome and never throws for a send failure. */
  execute(execution: ActionExecution<unknown>): Promise<ExecutionOutcome>;
}

/**
 * Declares an executor with a typed payload: the payload is parsed with `payloadSchema` when
 * an action is requested and again before each attempt (a stored row is outside input).
 */
export function defineActionExecutor<P>(spec: {
  readonly pluginId: string;
  readonly payloadSchema: z.ZodType<P>;
  readonly execute: (execution: ActionExecution<P>) => Promise<ExecutionOutcome>;
}): ActionExecutorImplementation {
  return {
    pluginId: spec.pluginId,
    checkPayload(payload) {
      const result = spec.payloadSchema.safeParse(payload);
      return result.success ? [] : issuesFromZod(result.error.issues);
    },
    async execute(execution) {
      const parsed = spec.payloadSchema.safeParse(execution.payload);
      if (!parsed.success) {
        const first = issuesFromZod(parsed.error.issues)[0];
        return {
          type: "permanent",
          error: {
            code: "invalid_payload",
            message: `the stored payload no longer validates: ${first?.path}: ${first?.message}`,
          },
        };
      }
      return spec.execute({ ...execution, payload: parsed.data });
    },
  };
}
