import {
  ChannelJobSchema,
  ChannelParamsSchema,
  ChannelSendRequestSchema,
  JobListQuerySchema,
  JobListResponseSchema,
  JobParamsSchema,
  JobRefreshRequestSchema,
} from "./channel-jobs.js";
import { AUTHENTICATED_ERRORS, BODY_ERRORS, defineRoute } from "./define-route.js";
import {
  HttpRenderRequestSchema,
  HttpRenderResultSchema,
  HttpRuntimeValidationRequestSchema,
  HttpRuntimeValidationResultSchema,
} from "./http-runtime-checks.js";

export const validateHttpRuntimeRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins/http/validate",
  operationId: "validateHttpRuntime",
  summary: "Check a manifest's declarative HTTP runtime, with warnings",
  description:
    "Schema, kind and egress rules as issues; allowed but suspicious choices as warnings. Sends no request to any host the manifest names.",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [...BODY_ERRORS, ...AUTHENTICATED_ERRORS],
  body: HttpRuntimeValidationRequestSchema,
  response: HttpRuntimeValidationResultSchema,
});

export const renderHttpOperationRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins/http/render",
  operationId: "renderHttpOperation",
  summary: "Show the exact request an HTTP operation would send, sending nothing",
  description:
    "Give `plugin_id` for an installed plugin (with its config) or `manifest` (with `config`, or its defaults). A channel's operation takes the `input` a send takes (`{ job_id }` for `get_status`). Every secret appears as `«secret:<key>»`, never its value.",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  body: HttpRenderRequestSchema,
  response: HttpRenderResultSchema,
});

export const sendThroughChannelRoute = defineRoute({
  method: "POST",
  path: "/v1/channels/{plugin}/send",
  operationId: "sendThroughChannel",
  summary: "Send a message, fax or call through a channel; creates a job",
  description:
    "The job keeps the manifest version and config revision it was sent with. A send the provider refused, or the control plane could not finish, is a job with status `failed` and `last_error`. An `Idempotency-Key` header makes a repeated request return the first job.",
  scope: "admin:plugins:write",
  successStatus: 201,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", "PLUGBOARD_CONFLICT", ...AUTHENTICATED_ERRORS],
  params: ChannelParamsSchema,
  body: ChannelSendRequestSchema,
  response: ChannelJobSchema,
});

export const listJobsRoute = defineRoute({
  method: "GET",
  path: "/v1/jobs",
  operationId: "listJobs",
  summary: "Page through channel jobs, newest first",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", ...AUTHENTICATED_ERRORS],
  query: JobListQuerySchema,
  response: JobListResponseSchema,
});

export const getJobRoute = defineRoute({
  method: "GET",
  path: "/v1/jobs/{id}",
  operationId: "getJob",
  summary: "Show one channel job",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: JobParamsSchema,
  response: ChannelJobSchema,
});

export const refreshJobRoute = defineRoute({
  method: "POST",
  path: "/v1/jobs/{id}/refresh",
  operationId: "refreshJob",
  summary: "Ask the provider where a job stands, with the job's own manifest and config",
  description:
    "Calls the channel's `get_status` as the job was sent (its manifest version and config revision). A job that has succeeded or failed is answered as it is and never changes again. Answers 409 when the job has no provider id or the channel has no `get_status`.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", "PLUGBOARD_CONFLICT", ...AUTHENTICATED_ERRORS],
  params: JobParamsSchema,
  body: JobRefreshRequestSchema,
  response: ChannelJobSchema,
});

/** The channel and HTTP-runtime routes, in the order the OpenAPI document lists them. */
export const CHANNEL_ROUTES = [
  validateHttpRuntimeRoute,
  renderHttpOperationRoute,
  sendThroughChannelRoute,
  listJobsRoute,
  getJobRoute,
  refreshJobRoute,
] as const;
