export {
  ACTION_ROUTES,
  approveActionRoute,
  createActionRoute,
  getActionRoute,
  listActionsRoute,
  rejectActionRoute,
  retryActionRoute,
  updateWorkerActionCapabilityRoute,
} from "./action-routes.js";
export type {
  Action,
  ActionApproveRequest,
  ActionAttempt,
  ActionAttemptStatus,
  ActionCreateRequest,
  ActionDetail,
  ActionError,
  ActionListQuery,
  ActionListResponse,
  ActionRejectRequest,
  ActionResult,
  ActionRetry,
  ActionRetryRequest,
  ActionReview,
  ActionStatus,
} from "./actions.js";
export {
  ACTION_ATTEMPT_STATUSES,
  ACTION_STATUSES,
  ActionApproveRequestSchema,
  ActionAttemptSchema,
  ActionAttemptStatusSchema,
  ActionCreateRequestSchema,
  ActionCreateRequestWireSchema,
  ActionDetailSchema,
  ActionDetailWireSchema,
  ActionErrorSchema,
  ActionListQuerySchema,
  ActionListResponseSchema,
  ActionListResponseWireSchema,
  ActionParamsSchema,
  ActionRejectRequestSchema,
  ActionResultSchema,
  ActionRetryRequestSchema,
  ActionRetrySchema,
  ActionReviewSchema,
  ActionSchema,
  ActionStatusSchema,
  ActionWireSchema,
} from "./actions.js";
export type { AuditEntry, AuditListQuery, AuditListResponse } from "./audit.js";
export {
  AuditEntrySchema,
  AuditListQuerySchema,
  AuditListQueryWireSchema,
  AuditListResponseSchema,
  AuditListResponseWireSchema,
} from "./audit.js";
export { listAuditRoute } from "./audit-routes.js";
export type {
  ChannelJob,
  ChannelSendRequest,
  JobError,
  JobListQuery,
  JobListResponse,
} from "./channel-jobs.js";
export {
  CallInputSchema,
  CHANNEL_OPERATION_INPUTS,
  ChannelJobSchema,
  ChannelJobWireSchema,
  ChannelParamsSchema,
  ChannelSendRequestSchema,
  FaxInputSchema,
  JobErrorSchema,
  JobListQuerySchema,
  JobListResponseSchema,
  JobListResponseWireSchema,
  JobParamsSchema,
  JobRefreshRequestSchema,
  JobStatusInputSchema,
  MessageInputSchema,
} from "./channel-jobs.js";
export {
  CHANNEL_ROUTES,
  getJobRoute,
  listJobsRoute,
  refreshJobRoute,
  renderHttpOperationRoute,
  sendThroughChannelRoute,
  validateHttpRuntimeRoute,
} from "./channel-routes.js";
export type { Route, RoutePart, RouteSpec } from "./define-route.js";
export { AUTHENTICATED_ERRORS, BODY_ERRORS, defineRoute, ROUTE_PARTS } from "./define-route.js";
export type { ApiErrorCode, ProblemOptions } from "./errors.js";
export {
  API_ERROR_CODES,
  API_ERRORS,
  ApiErrorCodeSchema,
  buildProblem,
  problemType,
} from "./errors.js";
export { listEventsRoute } from "./event-routes.js";
export type {
  EventListQuery,
  EventListResponse,
  IngressEvent,
  IngressEventStatus,
  WebhookAcknowledgement,
} from "./events.js";
export {
  EventListQuerySchema,
  EventListQueryWireSchema,
  EventListResponseSchema,
  EventListResponseWireSchema,
  INGRESS_EVENT_STATUSES,
  IngressEventSchema,
  IngressEventStatusSchema,
  WebhookAcknowledgementSchema,
  WebhookAcknowledgementWireSchema,
} from "./events.js";
export { listHooksRoute } from "./hook-routes.js";
export type { HookOrderResponse, OrderedHook } from "./hooks.js";
export {
  HookOrderResponseSchema,
  HookOrderResponseWireSchema,
  OrderedHookSchema,
} from "./hooks.js";
export type {
  HttpRenderRequest,
  HttpRenderResult,
  HttpRuntimeValidationResult,
} from "./http-runtime-checks.js";
export {
  HttpRenderRequestSchema,
  HttpRenderResultSchema,
  HttpRenderResultWireSchema,
  HttpRuntimeValidationRequestSchema,
  HttpRuntimeValidationResultSchema,
  HttpRuntimeValidationResultWireSchema,
} from "./http-runtime-checks.js";
export type { Issue, RegistryProblemItem } from "./issue.js";
export { IssueSchema, issuesFromZod, RegistryProblemSchema } from "./issue.js";
export type {
  ManifestValidationRequest,
  ManifestValidationResult,
} from "./manifest-validation.js";
export {
  ManifestValidationRequestSchema,
  ManifestValidationRequestWireSchema,
  ManifestValidationResultSchema,
  ManifestValidationResultWireSchema,
} from "./manifest-validation.js";
export { issueOAuthStateRoute } from "./oauth-state-routes.js";
export type { OAuthState, OAuthStateIssueRequest } from "./oauth-states.js";
export {
  OAUTH_STATE_TTL_SECONDS,
  OAuthStateIssueRequestSchema,
  OAuthStateIssueRequestWireSchema,
  OAuthStateSchema,
  OAuthStateWireSchema,
} from "./oauth-states.js";
export type {
  JsonSchemaObject,
  OpenApiDocument,
  OpenApiOptions,
  OpenApiServer,
} from "./openapi.js";
export { buildOpenApiDocument } from "./openapi.js";
export type {
  ConfigRevision,
  ConfigRevisionListResponse,
  ConfigRollbackRequest,
  ConfigValues,
  ConfigWriteRequest,
  PluginConfig,
} from "./plugin-config.js";
export {
  ConfigRevisionListResponseSchema,
  ConfigRevisionListResponseWireSchema,
  ConfigRevisionSchema,
  ConfigRollbackRequestSchema,
  ConfigValuesSchema,
  ConfigWriteRequestSchema,
  ConfigWriteRequestWireSchema,
  PluginConfigSchema,
  PluginConfigWireSchema,
} from "./plugin-config.js";
export {
  getPluginConfigRoute,
  listConfigRevisionsRoute,
  rollbackPluginConfigRoute,
  updatePluginConfigRoute,
} from "./plugin-config-routes.js";
export {
  installPluginRoute,
  PLUGIN_INSTALL_ROUTES,
  rollbackPluginRoute,
  uninstallPluginRoute,
  updatePluginRoute,
} from "./plugin-install-routes.js";
export type {
  PluginBundle,
  PluginChangeResult,
  PluginInstallRequest,
  PluginPackageRef,
  PluginRollbackRequest,
  PluginUninstallResult,
  PluginUpdateRequest,
} from "./plugin-installs.js";
export {
  PackageNameSchema,
  PluginBundleSchema,
  PluginChangeResultSchema,
  PluginChangeResultWireSchema,
  PluginInstallRequestSchema,
  PluginInstallRequestWireSchema,
  PluginPackageRefSchema,
  PluginRollbackRequestSchema,
  PluginRollbackRequestWireSchema,
  PluginUninstallResultSchema,
  PluginUninstallResultWireSchema,
  PluginUpdateRequestSchema,
  PluginUpdateRequestWireSchema,
  Sha512IntegritySchema,
} from "./plugin-installs.js";
export type {
  HookRuntime,
  PluginRunMode,
  PluginRuntime,
  PluginRuntimeState,
  PluginTransition,
} from "./plugin-runtime.js";
export {
  HOOK_BREAKER_STATES,
  HOOK_CALL_FAILURES,
  HookRuntimeSchema,
  PLUGIN_RUN_MODES,
  PLUGIN_RUNTIME_STATES,
  PluginActionRequestSchema,
  PluginRunModeSchema,
  PluginRuntimeSchema,
  PluginRuntimeStateSchema,
  PluginRuntimeWireSchema,
  PluginTransitionSchema,
  RuntimeFailureSchema,
  SandboxDispatchSchema,
} from "./plugin-runtime.js";
export {
  disablePluginRoute,
  enablePluginRoute,
  getPluginHealthRoute,
  PLUGIN_RUNTIME_ROUTES,
  reloadPluginRoute,
} from "./plugin-runtime-routes.js";
export type {
  PluginSecretsResponse,
  SecretStatus,
  SecretsWriteRequest,
} from "./plugin-secrets.js";
export {
  MAX_SECRET_VALUE_LENGTH,
  PluginSecretsResponseSchema,
  PluginSecretsResponseWireSchema,
  SecretStatusSchema,
  SecretsWriteRequestSchema,
  SecretsWriteRequestWireSchema,
} from "./plugin-secrets.js";
export { getPluginSecretsRoute, updatePluginSecretsRoute } from "./plugin-secrets-routes.js";
export type { ProblemDetails } from "./problem.js";
export {
  PROBLEM_CONTENT_TYPE,
  ProblemDetailsSchema,
  ProblemDetailsWireSchema,
} from "./problem.js";
export type {
  Installation,
  PluginDetailResponse,
  PluginHealthResponse,
  PluginListQuery,
  PluginListResponse,
  PluginParams,
  PluginVersion,
  RegistryEntry,
  RegistryEntrySchemaType,
  RegistryKindsSchemaType,
  RegistryResponse,
} from "./registry.js";
export {
  groupEntriesByKind,
  InstallationSchema,
  PluginDetailResponseSchema,
  PluginDetailResponseWireSchema,
  PluginHealthResponseSchema,
  PluginHealthResponseWireSchema,
  PluginIdSchema,
  PluginKindSchema,
  PluginListQuerySchema,
  PluginListQueryWireSchema,
  PluginListResponseSchema,
  PluginListResponseWireSchema,
  PluginParamsSchema,
  PluginParamsWireSchema,
  PluginVersionSchema,
  REGISTRY_ENTRY_SCHEMAS,
  RegistryEntrySchema,
  RegistryEntryWireSchema,
  RegistryResponseSchema,
  RegistryResponseWireSchema,
} from "./registry.js";
export type { AnyRoute } from "./routes.js";
export {
  createTokenRoute,
  getPluginRoute,
  getRegistryRoute,
  installWorkerRoute,
  listPluginsRoute,
  listTokensRoute,
  listWorkerPacksRoute,
  ROUTES,
  revokeTokenRoute,
  validateManifestRoute,
} from "./routes.js";
export type { Scope } from "./scopes.js";
export { SCOPES, ScopeSchema } from "./scopes.js";
export type { SendEmailActionPayload } from "./send-email-action.js";
export { SendEmailActionPayloadSchema } from "./send-email-action.js";
export type {
  PluginSetup,
  SetupListResponse,
  SetupMarkRequest,
  SetupStepParams,
  SetupStepProgress,
  SetupStepSource,
  SetupStepStatus,
} from "./setup.js";
export {
  PluginSetupSchema,
  PluginSetupWireSchema,
  SETUP_STEP_SOURCES,
  SETUP_STEP_STATUSES,
  SetupListResponseSchema,
  SetupListResponseWireSchema,
  SetupMarkRequestSchema,
  SetupStepParamsSchema,
  SetupStepProgressSchema,
  SetupStepSourceSchema,
  SetupStepStatusSchema,
} from "./setup.js";
export { listSetupRoute, markSetupStepRoute } from "./setup-routes.js";
export type {
  TokenCreateRequest,
  TokenCreateResponse,
  TokenListResponse,
  TokenSummary,
} from "./tokens.js";
export {
  TokenCreateRequestSchema,
  TokenCreateResponseSchema,
  TokenCreateResponseWireSchema,
  TokenListResponseSchema,
  TokenListResponseWireSchema,
  TokenParamsSchema,
  TokenSummarySchema,
  TokenSummaryWireSchema,
} from "./tokens.js";
export type { WireParseResult, WireSchema, WireValue } from "./wire-case.js";
export { fromWire, parseWire, safeParseWire, toWire, toWireSchema } from "./wire-case.js";
export type { WireKey } from "./wire-key.js";
export { toWireKey } from "./wire-key.js";
export {
  getWorkItemRoute,
  listWorkerRunsRoute,
  listWorkItemsRoute,
  WORK_ITEM_ROUTES,
} from "./work-item-routes.js";
export type {
  WorkerRun,
  WorkerRunListQuery,
  WorkerRunListResponse,
  WorkerRunStatus,
  WorkItem,
  WorkItemListQuery,
  WorkItemListResponse,
} from "./work-items.js";
export {
  WORKER_RUN_STATUSES,
  WorkerRunListQuerySchema,
  WorkerRunListResponseSchema,
  WorkerRunListResponseWireSchema,
  WorkerRunSchema,
  WorkerRunStatusSchema,
  WorkItemListQuerySchema,
  WorkItemListResponseSchema,
  WorkItemListResponseWireSchema,
  WorkItemParamsSchema,
  WorkItemSchema,
  WorkItemWireSchema,
} from "./work-items.js";
export type {
  WorkerActionCapability,
  WorkerActionCapabilityUpdate,
} from "./worker-capabilities.js";
export {
  WorkerActionCapabilityParamsSchema,
  WorkerActionCapabilitySchema,
  WorkerActionCapabilityUpdateSchema,
  WorkerActionCapabilityWireSchema,
} from "./worker-capabilities.js";
export type {
  RuntimePackSummary,
  WorkerInstallRequest,
  WorkerInstallResult,
  WorkerPackListing,
  WorkerPackListResponse,
} from "./worker-packs.js";
export {
  ActionCapabilitySummarySchema,
  InputRouteSummarySchema,
  InstallAvailabilitySchema,
  RuntimePackSummarySchema,
  WorkerInstallRequestSchema,
  WorkerInstallRequestWireSchema,
  WorkerInstallResultSchema,
  WorkerInstallResultWireSchema,
  WorkerPackListingSchema,
  WorkerPackListResponseSchema,
  WorkerPackListResponseWireSchema,
} from "./worker-packs.js";
