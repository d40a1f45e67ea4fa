import { AUTHENTICATED_ERRORS, BODY_ERRORS, defineRoute } from "./define-route.js";
import { PluginActionRequestSchema } from "./plugin-runtime.js";
import {
  PluginDetailResponseSchema,
  PluginHealthResponseSchema,
  PluginParamsSchema,
} from "./registry.js";

export const getPluginHealthRoute = defineRoute({
  method: "GET",
  path: "/v1/plugins/{id}/health",
  operationId: "getPluginHealth",
  summary: "Show how a plugin runs: its state, counters, last probe and recent transitions",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: PluginParamsSchema,
  response: PluginHealthResponseSchema,
});

export const reloadPluginRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins/{id}/reload",
  operationId: "reloadPlugin",
  summary: "Load a fresh instance of a plugin's code and switch to it while requests flow",
  description:
    "The new instance is loaded and probed before the switch; calls in flight finish on the old one. Answers 422 `PLUGBOARD_PLUGIN_START_FAILED`, keeping the running instance, when the new one does not start, and 409 for a plugin that runs no code here.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [
    ...BODY_ERRORS,
    "PLUGBOARD_NOT_FOUND",
    "PLUGBOARD_CONFLICT",
    "PLUGBOARD_PLUGIN_START_FAILED",
    ...AUTHENTICATED_ERRORS,
  ],
  params: PluginParamsSchema,
  body: PluginActionRequestSchema,
  response: PluginDetailResponseSchema,
});

export const enablePluginRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins/{id}/enable",
  operationId: "enablePlugin",
  summary: "Turn a plugin on; its code is loaded and probed, then switched in",
  description:
    "The same as `PATCH /v1/plugins/{id}` with `enabled: true`: its code is loaded and probed first, and when it does not start the answer is 422 `PLUGBOARD_PLUGIN_START_FAILED` and the plugin stays disabled.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [
    ...BODY_ERRORS,
    "PLUGBOARD_NOT_FOUND",
    "PLUGBOARD_PLUGIN_START_FAILED",
    ...AUTHENTICATED_ERRORS,
  ],
  params: PluginParamsSchema,
  body: PluginActionRequestSchema,
  response: PluginDetailResponseSchema,
});

export const disablePluginRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins/{id}/disable",
  operationId: "disablePlugin",
  summary: "Turn a plugin off; calls in flight finish, then its code is stopped",
  description: "The same as `PATCH /v1/plugins/{id}` with `enabled: false`.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: PluginParamsSchema,
  body: PluginActionRequestSchema,
  response: PluginDetailResponseSchema,
});

/** The routes of plugins' runtimes, in the order the OpenAPI document lists them. */
export const PLUGIN_RUNTIME_ROUTES = [
  getPluginHealthRoute,
  reloadPluginRoute,
  enablePluginRoute,
  disablePluginRoute,
] as const;
