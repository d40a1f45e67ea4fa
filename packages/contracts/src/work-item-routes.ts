import { AUTHENTICATED_ERRORS, defineRoute } from "./define-route.js";
import {
  WorkerRunListQuerySchema,
  WorkerRunListResponseSchema,
  WorkItemListQuerySchema,
  WorkItemListResponseSchema,
  WorkItemParamsSchema,
  WorkItemSchema,
} from "./work-items.js";

export const listWorkItemsRoute = defineRoute({
  method: "GET",
  path: "/v1/work-items",
  operationId: "listWorkItems",
  summary: "Page through what workers produced from route events, newest first",
  description:
    "Drafts such as the follow-up pack's `email_draft`, each with the action requests the worker made from it. Filter by worker, kind or source event; follow `next_cursor` for older items.",
  scope: "actions:review",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", ...AUTHENTICATED_ERRORS],
  query: WorkItemListQuerySchema,
  response: WorkItemListResponseSchema,
});

export const getWorkItemRoute = defineRoute({
  method: "GET",
  path: "/v1/work-items/{id}",
  operationId: "getWorkItem",
  summary: "Show one work item",
  scope: "actions:review",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: WorkItemParamsSchema,
  response: WorkItemSchema,
});

export const listWorkerRunsRoute = defineRoute({
  method: "GET",
  path: "/v1/worker-runs",
  operationId: "listWorkerRuns",
  summary: "Page through how workers handled route events, newest first",
  description:
    "One run per worker and route event: `done`, `skipped` or `failed`, with the work items and action requests it recorded and, for a skip or a failure, why.",
  scope: "actions:review",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", ...AUTHENTICATED_ERRORS],
  query: WorkerRunListQuerySchema,
  response: WorkerRunListResponseSchema,
});

/** The routes of worker output, in the order the OpenAPI document lists them. */
export const WORK_ITEM_ROUTES = [
  listWorkItemsRoute,
  getWorkItemRoute,
  listWorkerRunsRoute,
] as const;
