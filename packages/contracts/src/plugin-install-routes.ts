import { AUTHENTICATED_ERRORS, BODY_ERRORS, defineRoute } from "./define-route.js";
import {
  PluginChangeResultSchema,
  PluginInstallRequestSchema,
  PluginRollbackRequestSchema,
  PluginUninstallResultSchema,
  PluginUpdateRequestSchema,
} from "./plugin-installs.js";
import { PluginDetailResponseSchema, PluginParamsSchema } from "./registry.js";

export const installPluginRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins",
  operationId: "installPlugin",
  summary: "Install or upgrade a third-party plugin",
  description:
    "From `manifest` (with an optional `bundle` tarball) or from `package` (name and version in the host's npm-compatible registry). The package must be on the host's allowlist and its tarball must match its sha512 integrity before anything in it is read. A newer version of an installed plugin is an upgrade; the version already installed, or an older one, answers 409. A plugin with code is loaded and probed before anything is stored: when it does not start, the answer is 422 `PLUGBOARD_PLUGIN_START_FAILED`, nothing is stored and the running version keeps serving. Files and rows change together or not at all.",
  scope: "admin:plugins:write",
  successStatus: 201,
  errors: [
    ...BODY_ERRORS,
    "PLUGBOARD_CONFLICT",
    "PLUGBOARD_UNAVAILABLE",
    "PLUGBOARD_PLUGIN_START_FAILED",
    ...AUTHENTICATED_ERRORS,
  ],
  body: PluginInstallRequestSchema,
  response: PluginChangeResultSchema,
});

export const updatePluginRoute = defineRoute({
  method: "PATCH",
  path: "/v1/plugins/{id}",
  operationId: "updatePlugin",
  summary: "Enable or disable a plugin",
  description:
    "First-party plugins can be disabled too; the installed version does not change. Enabling loads and probes the plugin's code first: when it does not start, the answer is 422 `PLUGBOARD_PLUGIN_START_FAILED` and the plugin stays disabled.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [
    ...BODY_ERRORS,
    "PLUGBOARD_NOT_FOUND",
    "PLUGBOARD_PLUGIN_START_FAILED",
    ...AUTHENTICATED_ERRORS,
  ],
  params: PluginParamsSchema,
  body: PluginUpdateRequestSchema,
  response: PluginDetailResponseSchema,
});

export const rollbackPluginRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins/{id}/rollback",
  operationId: "rollbackPlugin",
  summary: "Go back to the previously installed version of a plugin",
  description:
    "Removes the current version and its files and reinstates the one installed before it, which must still pass the registry check. Within the rollback window the earlier version's instance is still loaded and is switched back to without loading; otherwise it is loaded and probed first, and when it does not start the answer is 422 `PLUGBOARD_PLUGIN_START_FAILED` and nothing changes. Answers 409 when there is no earlier version or `from_version` is not the current one.",
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
  body: PluginRollbackRequestSchema,
  response: PluginChangeResultSchema,
});

export const uninstallPluginRoute = defineRoute({
  method: "DELETE",
  path: "/v1/plugins/{id}",
  operationId: "uninstallPlugin",
  summary: "Uninstall a third-party plugin with all its versions",
  description:
    "Removes the plugin's versions, files, configuration, secrets and setup progress. Answers 409 for a first-party plugin, for a worker pack with installed workers, and when another plugin still needs it.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [
    "PLUGBOARD_BAD_REQUEST",
    "PLUGBOARD_NOT_FOUND",
    "PLUGBOARD_CONFLICT",
    ...AUTHENTICATED_ERRORS,
  ],
  params: PluginParamsSchema,
  response: PluginUninstallResultSchema,
});

/** The routes that change which plugins and versions are installed, in document order. */
export const PLUGIN_INSTALL_ROUTES = [
  installPluginRoute,
  updatePluginRoute,
  rollbackPluginRoute,
  uninstallPluginRoute,
] as const;
