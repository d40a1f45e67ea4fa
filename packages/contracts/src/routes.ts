import { ACTION_ROUTES } from "./action-routes.js";
import { listAuditRoute } from "./audit-routes.js";
import { CHANNEL_ROUTES } from "./channel-routes.js";
import { AUTHENTICATED_ERRORS, BODY_ERRORS, defineRoute } from "./define-route.js";
import { listEventsRoute } from "./event-routes.js";
import { listHooksRoute } from "./hook-routes.js";
import {
  ManifestValidationRequestSchema,
  ManifestValidationResultSchema,
} from "./manifest-validation.js";
import { issueOAuthStateRoute } from "./oauth-state-routes.js";
import {
  getPluginConfigRoute,
  listConfigRevisionsRoute,
  rollbackPluginConfigRoute,
  updatePluginConfigRoute,
} from "./plugin-config-routes.js";
import {
  installPluginRoute,
  rollbackPluginRoute,
  uninstallPluginRoute,
  updatePluginRoute,
} from "./plugin-install-routes.js";
import { PLUGIN_RUNTIME_ROUTES } from "./plugin-runtime-routes.js";
import { getPluginSecretsRoute, updatePluginSecretsRoute } from "./plugin-secrets-routes.js";
import {
  PluginDetailResponseSchema,
  PluginListQuerySchema,
  PluginListResponseSchema,
  PluginParamsSchema,
  RegistryResponseSchema,
} from "./registry.js";
import { listSetupRoute, markSetupStepRoute } from "./setup-routes.js";
import {
  TokenCreateRequestSchema,
  TokenCreateResponseSchema,
  TokenListResponseSchema,
  TokenParamsSchema,
  TokenSummarySchema,
} from "./tokens.js";
import { WORK_ITEM_ROUTES } from "./work-item-routes.js";
import {
  WorkerInstallRequestSchema,
  WorkerInstallResultSchema,
  WorkerPackListResponseSchema,
} from "./worker-packs.js";

export const getRegistryRoute = defineRoute({
  method: "GET",
  path: "/v1/registry",
  operationId: "getRegistry",
  summary: "List every plugin, grouped by kind",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [...AUTHENTICATED_ERRORS],
  response: RegistryResponseSchema,
});

export const listPluginsRoute = defineRoute({
  method: "GET",
  path: "/v1/plugins",
  operationId: "listPlugins",
  summary: "List plugins, filtered by kind, category and stability",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", ...AUTHENTICATED_ERRORS],
  query: PluginListQuerySchema,
  response: PluginListResponseSchema,
});

export const getPluginRoute = defineRoute({
  method: "GET",
  path: "/v1/plugins/{id}",
  operationId: "getPlugin",
  summary: "Show one plugin and its version history",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: PluginParamsSchema,
  response: PluginDetailResponseSchema,
});

export const validateManifestRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins/validate",
  operationId: "validateManifest",
  summary: "Check a manifest against its kind and the installed registry",
  description:
    "Installs nothing and sends no request to any host the manifest names. An invalid manifest is a successful check with `valid: false`.",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [...BODY_ERRORS, ...AUTHENTICATED_ERRORS],
  body: ManifestValidationRequestSchema,
  response: ManifestValidationResultSchema,
});

export const listWorkerPacksRoute = defineRoute({
  method: "GET",
  path: "/v1/worker-packs",
  operationId: "listWorkerPacks",
  summary: "List installable worker packs with their runtime packs",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [...AUTHENTICATED_ERRORS],
  response: WorkerPackListResponseSchema,
});

export const installWorkerRoute = defineRoute({
  method: "POST",
  path: "/v1/workers",
  operationId: "installWorker",
  summary: "Install a worker from a worker pack",
  description:
    "One transaction: creates the worker, its input routes and its action capabilities, or nothing. Answers 409 when a required connection is missing.",
  scope: "admin:plugins:write",
  successStatus: 201,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", "PLUGBOARD_CONFLICT", ...AUTHENTICATED_ERRORS],
  body: WorkerInstallRequestSchema,
  response: WorkerInstallResultSchema,
});

export const createTokenRoute = defineRoute({
  method: "POST",
  path: "/v1/tokens",
  operationId: "createToken",
  summary: "Create a bearer token with scopes",
  description: "The response carries the token once; only its hash is stored.",
  scope: "tokens:manage",
  successStatus: 201,
  errors: [...BODY_ERRORS, ...AUTHENTICATED_ERRORS],
  body: TokenCreateRequestSchema,
  response: TokenCreateResponseSchema,
});

export const listTokensRoute = defineRoute({
  method: "GET",
  path: "/v1/tokens",
  operationId: "listTokens",
  summary: "List tokens without their secrets",
  scope: "tokens:manage",
  successStatus: 200,
  errors: [...AUTHENTICATED_ERRORS],
  response: TokenListResponseSchema,
});

export const revokeTokenRoute = defineRoute({
  method: "DELETE",
  path: "/v1/tokens/{id}",
  operationId: "revokeToken",
  summary: "Revoke a token",
  scope: "tokens:manage",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: TokenParamsSchema,
  response: TokenSummarySchema,
});

/** Every route of the API, in the order the OpenAPI document lists them. */
export const ROUTES = [
  getRegistryRoute,
  listPluginsRoute,
  getPluginRoute,
  validateManifestRoute,
  installPluginRoute,
  updatePluginRoute,
  rollbackPluginRoute,
  uninstallPluginRoute,
  ...PLUGIN_RUNTIME_ROUTES,
  getPluginConfigRoute,
  updatePluginConfigRoute,
  listConfigRevisionsRoute,
  rollbackPluginConfigRoute,
  getPluginSecretsRoute,
  updatePluginSecretsRoute,
  issueOAuthStateRoute,
  listSetupRoute,
  markSetupStepRoute,
  listWorkerPacksRoute,
  installWorkerRoute,
  ...ACTION_ROUTES,
  ...WORK_ITEM_ROUTES,
  ...CHANNEL_ROUTES,
  createTokenRoute,
  listTokensRoute,
  revokeTokenRoute,
  listAuditRoute,
  listHooksRoute,
  listEventsRoute,
] as const;
export type AnyRoute = (typeof ROUTES)[number];
