import { AUTHENTICATED_ERRORS, BODY_ERRORS, defineRoute } from "./define-route.js";
import {
  ConfigRevisionListResponseSchema,
  ConfigRollbackRequestSchema,
  ConfigWriteRequestSchema,
  PluginConfigSchema,
} from "./plugin-config.js";
import { PluginParamsSchema } from "./registry.js";

/** Errors of a config change: compare-and-swap on If-Match, validation against configSchema. */
const CONFIG_WRITE_ERRORS = [
  ...BODY_ERRORS,
  "PLUGBOARD_NOT_FOUND",
  "PLUGBOARD_CONFLICT",
  "PLUGBOARD_PRECONDITION_REQUIRED",
  "PLUGBOARD_PLUGIN_START_FAILED",
  ...AUTHENTICATED_ERRORS,
] as const;

export const getPluginConfigRoute = defineRoute({
  method: "GET",
  path: "/v1/plugins/{id}/config",
  operationId: "getPluginConfig",
  summary: "Show a plugin's current config and its revision",
  description:
    'The ETag header carries the revision (`"3"`); send it back as If-Match to change the config. Revision 0 is the empty config before the first write.',
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: PluginParamsSchema,
  response: PluginConfigSchema,
});

export const updatePluginConfigRoute = defineRoute({
  method: "PUT",
  path: "/v1/plugins/{id}/config",
  operationId: "updatePluginConfig",
  summary: "Replace a plugin's config, as a new revision",
  description:
    "Requires If-Match with the current revision (428 without it, 409 when another write came first). The config is checked against the manifest's configSchema; a plugin without one accepts no config. A running plugin is loaded and probed with the new config before it is stored: when that does not start, the answer is 422 `PLUGBOARD_PLUGIN_START_FAILED` and the stored config and the running instance stay as they were.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [...CONFIG_WRITE_ERRORS],
  params: PluginParamsSchema,
  body: ConfigWriteRequestSchema,
  response: PluginConfigSchema,
});

export const listConfigRevisionsRoute = defineRoute({
  method: "GET",
  path: "/v1/plugins/{id}/config/revisions",
  operationId: "listConfigRevisions",
  summary: "List every revision of a plugin's config, newest first",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: PluginParamsSchema,
  response: ConfigRevisionListResponseSchema,
});

export const rollbackPluginConfigRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins/{id}/config/rollback",
  operationId: "rollbackPluginConfig",
  summary: "Restore an earlier config revision, as a new revision",
  description:
    "Writes the config of the given revision again as the next revision, recording which one it restored. Requires If-Match like a write, and the restored config must satisfy the current configSchema.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [...CONFIG_WRITE_ERRORS],
  params: PluginParamsSchema,
  body: ConfigRollbackRequestSchema,
  response: PluginConfigSchema,
});
