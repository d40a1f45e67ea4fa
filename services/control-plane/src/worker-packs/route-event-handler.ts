import type { JsonValue } from "@plugboard/plugin-sdk";
import type { DraftModel } from "./draft-model.js";

/** A route event as a runtime pack receives it. */
export interface RouteEventInput {
  readonly id: string;
  /** `forward_email`, `watched_inbox`, … (the event type without `route.`). */
  readonly routeKind: string;
  readonly source: string;
  readonly correlationId: string;
  readonly data: JsonValue;
}

/** Something the worker made, kept as a work item. */
export interface WorkItemDraft {
  readonly kind: string;
  readonly title: string;
  readonly body: JsonValue;
}

/**
 * An action the worker asks for. `workItem` is the index of the work item it carries out
 * (the draft an email sends), linked on both sides.
 */
export interface ActionRequestPlan {
  readonly kind: string;
  readonly destinationProvider?: string | undefined;
  readonly payload: Readonly<Record<string, JsonValue>>;
  readonly workItem?: number | undefined;
}

/** What a pack made of an event: output, or a reason it made nothing. */
export type RouteEventHandling =
  | {
      readonly type: "output";
      readonly workItems: readonly WorkItemDraft[];
      readonly actionRequests: readonly ActionRequestPlan[];
    }
  | { readonly type: "skip"; readonly reason: string };

export interface RouteEventTools {
  readonly model: DraftModel;
  readonly signal?: AbortSignal;
}

/**
 * The behaviour of a runtime pack: one route event in, work items and action requests out.
 * It records nothing itself; the dispatcher stores the output and governs the requests.
 * Throwing fails the run with the error's message.
 */
export type RouteEventHandler = (
  event: RouteEventInput,
  tools: RouteEventTools,
) => Promise<RouteEventHandling>;
