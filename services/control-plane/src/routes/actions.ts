import type { Kysely } from "kysely";
import type { ActionGovernance } from "../actions/action-governance.js";
import { findActionDetail, listActions } from "../actions/action-records.js";
import type { RouteHandlers } from "../http/mount-routes.js";
import { pageBefore } from "../http/page-cursor.js";
import { ApiError } from "../http/problem-handler.js";
import type { Schema } from "../store/schema.js";
import { idempotencyKeyOf } from "../workers/idempotency.js";

/**
 * POST and GET /v1/actions, GET /v1/actions/{id}, and the review decisions approve, reject
 * and retry; every change is audited with its actor.
 */
export function actionHandlers(
  db: Kysely<Schema>,
  governance: ActionGovernance,
): Pick<
  RouteHandlers,
  "createAction" | "listActions" | "getAction" | "approveAction" | "rejectAction" | "retryAction"
> {
  return {
    createAction: ({ body, principal, request }) =>
      governance.createActionRequest({
        ...body,
        requestedBy: principal.tokenId,
        requestKey: idempotencyKeyOf(request),
      }),

    async listActions({ query: { cursor, ...filter } }) {
      const before = pageBefore(cursor);
      return listActions(db, { before, ...filter });
    },

    async getAction({ params: { id } }) {
      const detail = await findActionDetail(db, id);
      if (detail === undefined) throw new ApiError("PLUGBOARD_NOT_FOUND", `no action has id ${id}`);
      return detail;
    },

    approveAction: ({ params: { id }, body, principal }) =>
      governance.approve(id, { reviewer: principal.tokenId, reason: body.reason }),

    rejectAction: ({ params: { id }, body, principal }) =>
      governance.reject(id, { reviewer: principal.tokenId, reason: body.reason }),

    retryAction: ({ params: { id }, body, principal }) =>
      governance.retry(id, { reviewer: principal.tokenId, reason: body.reason }),
  };
}
