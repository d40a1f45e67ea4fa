import type { Action } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import type { Schema } from "../store/schema.js";
import { type ActionRequestInput, createActionRequest } from "./action-requests.js";
import { approveAction, type ReviewInput, rejectAction, retryAction } from "./action-reviews.js";
import type { ExecutorImplementations } from "./executor-resolution.js";

/**
 * Requesting and deciding on actions, bound to one database. Whatever queues an action
 * (an `auto` request, an approval, a retry) calls `onQueued`, so a local executor can start
 * at once instead of at its next poll.
 */
export interface ActionGovernance {
  /** What the worker runtime calls for each action a worker proposes. */
  createActionRequest(request: ActionRequestInput): Promise<Action>;
  approve(id: string, review: ReviewInput): Promise<Action>;
  reject(id: string, review: ReviewInput): Promise<Action>;
  retry(id: string, review: ReviewInput): Promise<Action>;
}

export function createActionGovernance(options: {
  readonly db: Kysely<Schema>;
  readonly implementations: ExecutorImplementations;
  readonly onQueued: () => void;
}): ActionGovernance {
  const { db, implementations, onQueued } = options;
  const notify = (action: Action) => {
    if (action.status === "queued") onQueued();
    return action;
  };
  return {
    createActionRequest: async (request) =>
      notify(await createActionRequest(db, implementations, request)),
    approve: async (id, review) => notify(await approveAction(db, id, review)),
    reject: (id, review) => rejectAction(db, id, review),
    retry: async (id, review) => notify(await retryAction(db, id, review)),
  };
}
