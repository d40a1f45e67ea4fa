import {
  ActionApproveRequestSchema,
  ActionCreateRequestSchema,
  ActionDetailSchema,
  ActionListQuerySchema,
  ActionListResponseSchema,
  ActionParamsSchema,
  ActionRejectRequestSchema,
  ActionRetryRequestSchema,
  ActionSchema,
} from "./actions.js";
import { AUTHENTICATED_ERRORS, BODY_ERRORS, defineRoute } from "./define-route.js";
import {
  WorkerActionCapabilityParamsSchema,
  WorkerActionCapabilitySchema,
  WorkerActionCapabilityUpdateSchema,
} from "./worker-capabilities.js";

export const createActionRoute = defineRoute({
  method: "POST",
  path: "/v1/actions",
  operationId: "createAction",
  summary: "Request an action on behalf of a worker",
  description:
    "The worker's boundary mode for the kind decides: `auto` queues the action for execution, `ask_me` holds it as `pending` for review, `never` records it as `refused`. An `Idempotency-Key` header makes a repeated request return the first action.",
  scope: "admin:plugins:write",
  successStatus: 201,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  body: ActionCreateRequestSchema,
  response: ActionSchema,
});

export const listActionsRoute = defineRoute({
  method: "GET",
  path: "/v1/actions",
  operationId: "listActions",
  summary: "Page through action requests, newest first",
  description:
    "Filter by `status` (`pending` is the review queue, `needs_attention` lists actions whose delivery is unknown), worker or kind. Follow `next_cursor` for older actions.",
  scope: "actions:review",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", ...AUTHENTICATED_ERRORS],
  query: ActionListQuerySchema,
  response: ActionListResponseSchema,
});

export const getActionRoute = defineRoute({
  method: "GET",
  path: "/v1/actions/{id}",
  operationId: "getAction",
  summary: "Show one action with its review and every execution attempt",
  scope: "actions:review",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: ActionParamsSchema,
  response: ActionDetailSchema,
});

export const approveActionRoute = defineRoute({
  method: "POST",
  path: "/v1/actions/{id}/approve",
  operationId: "approveAction",
  summary: "Approve a pending action, which queues it for execution",
  description: "Answers 409 unless the action is `pending`. The reviewer and reason are recorded.",
  scope: "actions:review",
  successStatus: 200,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", "PLUGBOARD_CONFLICT", ...AUTHENTICATED_ERRORS],
  params: ActionParamsSchema,
  body: ActionApproveRequestSchema,
  response: ActionSchema,
});

export const rejectActionRoute = defineRoute({
  method: "POST",
  path: "/v1/actions/{id}/reject",
  operationId: "rejectAction",
  summary: "Reject a pending action; it is never executed",
  description: "Answers 409 unless the action is `pending`. The reviewer and reason are recorded.",
  scope: "actions:review",
  successStatus: 200,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", "PLUGBOARD_CONFLICT", ...AUTHENTICATED_ERRORS],
  params: ActionParamsSchema,
  body: ActionRejectRequestSchema,
  response: ActionSchema,
});

export const retryActionRoute = defineRoute({
  method: "POST",
  path: "/v1/actions/{id}/retry",
  operationId: "retryAction",
  summary: "Queue a failed action, or one whose delivery is unknown, for another attempt",
  description:
    "Answers 409 unless the action is `needs_attention` or `failed`. An action is never attempted again after an unknown outcome without this call. The next attempt carries the same idempotency key.",
  scope: "actions:review",
  successStatus: 200,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", "PLUGBOARD_CONFLICT", ...AUTHENTICATED_ERRORS],
  params: ActionParamsSchema,
  body: ActionRetryRequestSchema,
  response: ActionSchema,
});

export const updateWorkerActionCapabilityRoute = defineRoute({
  method: "PUT",
  path: "/v1/workers/{id}/action-capabilities/{kind}",
  operationId: "updateWorkerActionCapability",
  summary: "Set the boundary mode of one action kind of a worker",
  description:
    "Applies to requests made from now on; actions already requested keep the mode they were requested under.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: WorkerActionCapabilityParamsSchema,
  body: WorkerActionCapabilityUpdateSchema,
  response: WorkerActionCapabilitySchema,
});

/** The governed-action routes, in the order the OpenAPI document lists them. */
export const ACTION_ROUTES = [
  updateWorkerActionCapabilityRoute,
  createActionRoute,
  listActionsRoute,
  getActionRoute,
  approveActionRoute,
  rejectActionRoute,
  retryActionRoute,
] as const;
