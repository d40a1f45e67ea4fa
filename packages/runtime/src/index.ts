// The public surface of @plugboard/runtime; each area exports from its own folder.
export {
  CONTEXT_ERRORS,
  ContextError,
  type ContextErrorCode,
} from "./context/context-errors.js";
export {
  type ContextLimits,
  type ContextLimitsInput,
  ContextLimitsSchema,
} from "./context/context-limits.js";
export type {
  BusEvent,
  BusSubscription,
  ContextServices,
  EgressSender,
  EgressSendOptions,
  EventBus,
  PluginDataBackend,
  PluginLogRecord,
  PluginLogSink,
  PluginStorageBackend,
  SecretStore,
} from "./context/context-services.js";
export { createInMemoryData } from "./context/in-memory-data.js";
export { createInMemoryEventBus } from "./context/in-memory-event-bus.js";
export { createInMemoryStorage } from "./context/in-memory-storage.js";
export {
  type ContextManifest,
  createPluginContext,
  type PluginContextOptions,
} from "./context/plugin-context.js";
export {
  type StorageQuota,
  type StorageSetResult,
  type StorageUsage,
  storageWriteOutcome,
  storedEntryBytes,
} from "./context/storage-quota.js";
export { checkEgressTarget, type EgressTarget } from "./egress/check-egress-target.js";
export {
  EGRESS_ERRORS,
  type EgressDenialReason,
  EgressDeniedError,
  EgressError,
  type EgressErrorReason,
} from "./egress/egress-errors.js";
export {
  createEgressPolicy,
  type EgressGrant,
  EgressGrantSchema,
  type EgressHostPolicy,
  EgressHostPolicySchema,
  type EgressPolicy,
  egressGrantsFromPermissions,
} from "./egress/egress-policy.js";
export {
  EGRESS_METHODS,
  type EgressMethod,
  type EgressRequest,
  type EgressResponse,
} from "./egress/egress-request.js";
export {
  FORBIDDEN_ADDRESS_CATEGORIES,
  type ForbiddenAddress,
  type ForbiddenAddressCategory,
  forbiddenAddress,
} from "./egress/forbidden-addresses.js";
export { type HostLookup, lookupWithDns, type ResolvedAddress } from "./egress/host-lookup.js";
export { type SendEgressOptions, sendEgressRequest } from "./egress/send-egress-request.js";
export {
  BREAKER_STATES,
  type BreakerSettings,
  BreakerSettingsSchema,
  type BreakerState,
} from "./hooks/circuit-breaker.js";
export {
  defineHook,
  HOOK_FAILURE_KINDS,
  type Hook,
  type HookFailureKind,
  HookInvocationError,
  type InvokerFailureKind,
  type TypedHook,
} from "./hooks/hook.js";
export { HOOK_ERRORS, type HookErrorCode, HookPipelineError } from "./hooks/hook-errors.js";
export {
  createHookPipeline,
  type HookFailureEvent,
  type HookPipeline,
  type HookPipelineInput,
  type HookPipelineOptions,
  type HookPipelineOutcome,
} from "./hooks/hook-pipeline.js";
export type { HookStats } from "./hooks/hook-stats.js";
export {
  describeHookOrder,
  type OrderedHookView,
  type ResolvedHookOrder,
  resolveHookOrder,
} from "./hooks/resolve-hook-order.js";
export type { SandboxManifest } from "./sandbox/isolate-instance.js";
export { PluginCodeError } from "./sandbox/isolate-reply.js";
export { createIsolateSandbox, type IsolateSandboxOptions } from "./sandbox/isolate-sandbox.js";
export {
  type HandlerRef,
  SANDBOX_STATES,
  type Sandbox,
  type SandboxCallOptions,
  type SandboxFailure,
  type SandboxHealth,
  type SandboxState,
} from "./sandbox/sandbox.js";
export { SANDBOX_ERRORS, SandboxError, type SandboxErrorCode } from "./sandbox/sandbox-errors.js";
export {
  SANDBOX_DISPATCH_MODES,
  type SandboxDispatchMode,
  type SandboxLimits,
  type SandboxLimitsInput,
  SandboxLimitsSchema,
} from "./sandbox/sandbox-limits.js";
export { sandboxedHook } from "./sandbox/sandboxed-hook.js";

// Declarative HTTP runtimes.
// (A comment set apart by a blank line ends Biome's sorted chunk, so this block stays last.)

export type { SecretResolver } from "./http-runtime/http-auth.js";
export type { RenderedHttpRequest } from "./http-runtime/http-request.js";
export {
  classifyHttpStatus,
  HTTP_RESPONSE_WARNINGS,
  type HttpResponseWarning,
  type HttpResponseWarningCode,
  type HttpStatusClass,
} from "./http-runtime/http-response-mapping.js";
export {
  createHttpRuntimeClient,
  type HttpOperationFailure,
  type HttpOperationResult,
  type HttpOperationSuccess,
  type HttpPerformOptions,
  type HttpRenderOptions,
  type HttpRuntimeClient,
  type HttpRuntimeClientOptions,
  type HttpRuntimeManifest,
  type HttpRuntimeSender,
} from "./http-runtime/http-runtime-client.js";
export {
  HTTP_RUNTIME_ERROR_STAGES,
  HTTP_RUNTIME_ERRORS,
  HttpRuntimeError,
  type HttpRuntimeErrorCode,
  type HttpRuntimeErrorSite,
  type HttpRuntimeErrorStage,
  type HttpRuntimeThrownCode,
} from "./http-runtime/http-runtime-errors.js";
export {
  CHANNEL_JOB_ID_FIELD,
  HTTP_RUNTIME_WARNINGS,
  type HttpRuntimeWarning,
  type HttpRuntimeWarningCode,
  type HttpRuntimeWarningsInput,
  httpRuntimeWarnings,
} from "./http-runtime/http-runtime-warnings.js";
export { secretMask } from "./http-runtime/secret-masks.js";

// Plugin lifecycle and hot-swap.

export {
  type DiscoverySettingsInput,
  DiscoverySettingsSchema,
  discoverPlugins,
  type PluginDiscovery,
} from "./lifecycle/discover-plugins.js";
export { instanceSandbox } from "./lifecycle/instance-sandbox.js";
export {
  INSTANCE_STATES,
  INSTANCE_TRANSITIONS,
  type InstanceFailure,
  type InstanceState,
  type TransitionEvent,
} from "./lifecycle/instance-states.js";
export {
  LIFECYCLE_ERRORS,
  LifecycleError,
  type LifecycleErrorCode,
} from "./lifecycle/lifecycle-errors.js";
export {
  type LifecycleSettings,
  type LifecycleSettingsInput,
  LifecycleSettingsSchema,
  type PluginSetSettings,
  type PluginSetSettingsInput,
  PluginSetSettingsSchema,
} from "./lifecycle/lifecycle-settings.js";
export type { SwapFailure } from "./lifecycle/plan-swap.js";
export type { PluginGeneration, PluginLease } from "./lifecycle/plugin-generation.js";
export {
  createPluginInstance,
  type InstanceHealth,
  type PluginInstance,
  type PluginInstanceOptions,
} from "./lifecycle/plugin-instance.js";
export {
  createPluginSet,
  type DeriveGeneration,
  type PluginSet,
  type PluginSetOptions,
  type RollbackResult,
  type SwapOptions,
  type SwapResult,
} from "./lifecycle/plugin-set.js";
export {
  type PluginIdentity,
  type PluginManifestValidation,
  type PluginSpec,
  type PluginSpecValidation,
  type PluginValidationOptions,
  validatePluginManifest,
  validatePluginSpec,
} from "./lifecycle/plugin-spec.js";
export type { ProbeRecord } from "./lifecycle/probe-plugin.js";
export {
  type DiscoveredPlugin,
  type DiscoveryProblem,
  MANIFEST_FILE_NAME,
} from "./lifecycle/read-plugin-package.js";
