export type { Engines, ManifestBase } from "./base-fields.js";
export { EnginesSchema, ManifestBaseSchema, SecretKeySchema } from "./base-fields.js";
export type { ConfigProperty, ConfigSchema, UiHint, UiSchema } from "./config-schema.js";
export {
  ConfigPropertySchema,
  ConfigSchemaSchema,
  UiHintSchema,
  UiSchemaSchema,
} from "./config-schema.js";
export { defineManifest, ManifestValidationError } from "./define-manifest.js";
export type { SdkErrorCode } from "./errors.js";
export { PlugboardError, SDK_ERRORS } from "./errors.js";
export {
  CONFIG_KEY,
  KEBAB_SEGMENT,
  kindIdPattern,
  OPERATOR_ID,
  SECRET_KEY,
  SEMVER,
  SEMVER_RANGE,
  SNAKE_CASE,
  WORKER_PACK_ID,
} from "./grammar.js";
export type { ManifestIssue } from "./issues.js";
export { formatIssues, formatPath } from "./issues.js";
export { MANIFEST_SCHEMA_ID, toManifestJsonSchema } from "./json-schema.js";
export { actionExecutorKind } from "./kinds/action-executor.js";
export type {
  ActionExecutorManifest,
  BuiltInKind,
  ChannelManifest,
  ConnectionProviderManifest,
  ConnectorManifest,
  HookManifest,
  IngressAdapterManifest,
  ManifestOfKind,
  PluginKind,
  PluginManifest,
  PluginManifestInput,
  RuleOperatorManifest,
  WorkerPackManifest,
} from "./kinds/built-in-kinds.js";
export { BUILT_IN_KINDS, PLUGIN_KINDS } from "./kinds/built-in-kinds.js";
export { channelKind } from "./kinds/channel.js";
export { connectionProviderKind } from "./kinds/connection-provider.js";
export { connectorKind } from "./kinds/connector.js";
export type {
  AnyKindDefinition,
  KindDefinition,
  KindLinks,
  KindOptions,
  KindProblem,
  LinkVocabulary,
  ManifestInputOf,
  ManifestLink,
  ManifestOf,
} from "./kinds/define-kind.js";
export { defineKind, LINK_VOCABULARIES } from "./kinds/define-kind.js";
export { HOOK_ID, hookKind } from "./kinds/hook.js";
export { ingressAdapterKind } from "./kinds/ingress-adapter.js";
export type { KindSet } from "./kinds/kind-set.js";
export { builtInKindSet, createKindSet } from "./kinds/kind-set.js";
export type { Operator } from "./kinds/rule-operator.js";
export { OperatorSchema, ruleOperatorKind } from "./kinds/rule-operator.js";
export { workerPackKind } from "./kinds/worker-pack.js";
export {
  ACTION_KINDS,
  CHANNEL_OPERATIONS,
  CHANNEL_TYPES,
  CONNECTION_PROVIDERS,
  INPUT_ROUTE_KINDS,
  WORK_ITEM_KINDS,
  WORKER_KINDS,
} from "./known-values.js";
export {
  ActionKindSchema,
  CapabilitySchema,
  ChannelOperationSchema,
  ChannelTypeSchema,
  EntityTypeSchema,
  InputRouteKindSchema,
  ProviderKeySchema,
  WorkerKindSchema,
  WorkItemKindSchema,
} from "./open-vocabulary.js";
export type { Permission } from "./permissions.js";
export {
  PERMISSION_PATTERN,
  PermissionStringSchema,
  parsePermission,
  permits,
  subjectCovers,
} from "./permissions.js";
export type { PluginDefinition } from "./plugin-code/define-plugin.js";
export { definePlugin } from "./plugin-code/define-plugin.js";
export {
  ActionOutcomeSchema,
  ActionRequestDraftSchema,
  ChannelJobSchema,
  EntityMappingSchema,
  HANDLER_RESULT_SCHEMAS,
  HealthReportSchema,
  NormalizedRouteEventSchema,
  RawItemSchema,
  RouteEventResultSchema,
  WorkItemDraftSchema,
} from "./plugin-code/handler-results.js";
export type {
  ActionExecutorHandlers,
  ActionHandler,
  ActionOutcome,
  ActionRequest,
  ActionRequestDraft,
  ChannelHandlers,
  ChannelJob,
  CommonHandlers,
  ConditionHandler,
  ConnectionProviderHandlers,
  ConnectorHandlers,
  EntityMapping,
  HandlersByKind,
  HealthReport,
  HookHandlers,
  HookRequest,
  HookResult,
  IngressAdapterHandlers,
  IngressRequest,
  NormalizedRouteEvent,
  OutboundFax,
  OutboundMessage,
  RawItem,
  RouteEvent,
  RouteEventResult,
  RuleContext,
  RuleOperatorHandlers,
  WorkerPackHandlers,
  WorkItemDraft,
} from "./plugin-code/handlers.js";
export { HookResultSchema } from "./plugin-code/hook-result.js";
export { JsonValueSchema } from "./plugin-code/json-value.js";
export type {
  ConfigValue,
  EntityRecord,
  JsonValue,
  PluginContext,
  PluginData,
  PluginEvent,
  PluginEvents,
  PluginHttp,
  PluginHttpRequest,
  PluginHttpResponse,
  PluginLogger,
  PluginSecrets,
  PluginStorage,
  PluginSubscription,
  SecretHandle,
} from "./plugin-code/plugin-context.js";
export type {
  CheckRegistryOptions,
  RegistryCheck,
  RegistryGraph,
  RegistryProblem,
} from "./registry/check-registry.js";
export { checkRegistry } from "./registry/check-registry.js";
export type { HookOrder, HookOrderProblem } from "./registry/hook-order.js";
export { orderHooks } from "./registry/hook-order.js";
export type { HostDeclaration } from "./registry/host.js";
export { PLUGBOARD_API_VERSION, PLUGBOARD_HOST } from "./registry/host.js";
export type {
  AlignedField,
  AlignmentProblem,
  RuntimeWorkerPackShape,
} from "./registry/worker-pack-alignment.js";
export { ALIGNED_FIELDS, checkWorkerPackAlignment } from "./registry/worker-pack-alignment.js";
export type {
  HttpAuth,
  HttpBody,
  HttpOperation,
  HttpResponseMapping,
  HttpRuntime,
} from "./runtimes/http-runtime.js";
export {
  AllowedDomainSchema,
  HttpAuthSchema,
  HttpBodySchema,
  HttpOperationSchema,
  HttpResponseMappingSchema,
  HttpRuntimeSchema,
  ResponsePathSchema,
} from "./runtimes/http-runtime.js";
export type { ModuleRuntime } from "./runtimes/module-runtime.js";
export { ModuleRuntimeSchema } from "./runtimes/module-runtime.js";
export type { Runtime } from "./runtimes/runtime.js";
export { RuntimeSchema } from "./runtimes/runtime.js";
export type { SetupStep, SetupSurfaceTarget } from "./setup-steps.js";
export { SetupStepSchema, SetupSurfaceTargetSchema } from "./setup-steps.js";
export type { ManifestValidation, ValidateOptions } from "./validate-manifest.js";
export { validateManifest } from "./validate-manifest.js";
export type {
  AdapterKind,
  BoundaryMode,
  ConnectionAccessMode,
  ConnectorSyncMode,
  ExecutionModel,
  FailMode,
  HookRing,
  HttpAuthScheme,
  HttpBodyEncoding,
  HttpMethod,
  IngressAuthentication,
  JobStatus,
  PluginCategory,
  PluginOwner,
  PluginStability,
  SetupMode,
  SetupSurface,
  UiWidget,
  WorkerScope,
} from "./vocabulary.js";
export {
  ADAPTER_KINDS,
  AdapterKindSchema,
  BOUNDARY_MODES,
  BoundaryModeSchema,
  CONNECTION_ACCESS_MODES,
  CONNECTOR_SYNC_MODES,
  ConnectionAccessModeSchema,
  ConnectorSyncModeSchema,
  EXECUTION_MODELS,
  ExecutionModelSchema,
  FAIL_MODES,
  FailModeSchema,
  HOOK_RINGS,
  HookRingSchema,
  HTTP_AUTH_SCHEMES,
  HTTP_BODY_ENCODINGS,
  HTTP_METHODS,
  HttpAuthSchemeSchema,
  HttpBodyEncodingSchema,
  HttpMethodSchema,
  INGRESS_AUTHENTICATIONS,
  IngressAuthenticationSchema,
  JOB_STATUSES,
  JobStatusSchema,
  PLUGIN_CATEGORIES,
  PLUGIN_OWNERS,
  PLUGIN_STABILITIES,
  PluginCategorySchema,
  PluginOwnerSchema,
  PluginStabilitySchema,
  SETUP_MODES,
  SETUP_SURFACES,
  SetupModeSchema,
  SetupSurfaceSchema,
  UI_WIDGETS,
  UiWidgetSchema,
  WORKER_SCOPES,
  WorkerScopeSchema,
} from "./vocabulary.js";
