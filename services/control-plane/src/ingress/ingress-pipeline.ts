import type { ApiErrorCode, Issue } from "@plugboard/contracts";
import type { JsonValue } from "@plugboard/plugin-sdk";
import { ApiError } from "../http/problem-handler.js";
import type { WebhookDelivery } from "./webhook-delivery.js";

/** What a step decides about a delivery. */
export type IngressStepResult =
  | { readonly action: "continue" }
  /** Goes on with a changed body or headers; which adapter received it cannot change. */
  | {
      readonly action: "modify";
      readonly body?: Buffer;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /**
   * Refuses the delivery: nothing is stored and the sender gets the problem, with `status`
   * when it is not the code's own.
   */
  | {
      readonly action: "reject";
      readonly code: ApiErrorCode;
      readonly detail: string;
      readonly status?: number;
      readonly errors?: readonly Issue[];
    }
  /** Answers the sender with this JSON body instead: nothing is stored. */
  | { readonly action: "answer"; readonly status: number; readonly body: JsonValue };

/** Thrown when a step answers a delivery itself; the webhook route sends the answer. */
export class IngressAnswer extends Error {
  readonly status: number;
  readonly body: JsonValue;

  constructor(step: string, status: number, body: JsonValue) {
    super(`${step} answered the delivery with ${status}`);
    this.name = "IngressAnswer";
    this.status = status;
    this.body = body;
  }
}

/**
 * One stage between authentication and normalisation. Steps see only authenticated
 * deliveries, without their credentials, and run on every delivery, duplicates included.
 */
export interface IngressStep {
  readonly name: string;
  run(delivery: WebhookDelivery): Promise<IngressStepResult>;
}

/**
 * The steps every webhook passes, in order, as the composition root lists them. The hook
 * engine's `ingress` ring is meant to be one step here, running each hook with the timeout
 * and fail mode its manifest declares.
 */
export type IngressPipeline = readonly IngressStep[];

/**
 * Runs the steps in order; the delivery the last one leaves, or the first rejection thrown
 * (an `ApiError`), or the first answer (an `IngressAnswer`).
 */
export async function runIngressPipeline(
  pipeline: IngressPipeline,
  delivery: WebhookDelivery,
): Promise<WebhookDelivery> {
  let current = delivery;
  for (const step of pipeline) {
    const result = await step.run(current);
    switch (result.action) {
      case "continue":
        break;
      case "modify":
        current = {
          ...current,
          ...(result.body === undefined ? {} : { body: result.body }),
          ...(result.headers === undefined ? {} : { headers: result.headers }),
        };
        break;
      case "reject":
        throw new ApiError(
          result.code,
          `${step.name}: ${result.detail}`,
          result.errors ?? [],
          result.status === undefined ? {} : { status: result.status },
        );
      case "answer":
        throw new IngressAnswer(step.name, result.status, result.body);
      default: {
        const exhaustive: never = result;
        return exhaustive;
      }
    }
  }
  return current;
}
