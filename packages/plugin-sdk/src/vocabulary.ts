import { z } from "zod";

/**
 * Closed sets: values only the platform defines. Each set is declared once here; its zod
 * schema and TypeScript type are derived from the array.
 */

export const PLUGIN_OWNERS = ["core", "first_party", "third_party"] as const;
export const PluginOwnerSchema = z.enum(PLUGIN_OWNERS);
export type PluginOwner = z.infer<typeof PluginOwnerSchema>;

export const PLUGIN_STABILITIES = ["experimental", "pilot", "stable"] as const;
export const PluginStabilitySchema = z.enum(PLUGIN_STABILITIES);
export type PluginStability = z.infer<typeof PluginStabilitySchema>;

export const PLUGIN_CATEGORIES = [
  "email",
  "knowledge",
  "project",
  "crm",
  "communication",
  "data",
  "automation",
  "gateway",
  "other",
] as const;
export const PluginCategorySchema = z.enum(PLUGIN_CATEGORIES);
export type PluginCategory = z.infer<typeof PluginCategorySchema>;

export const CONNECTION_ACCESS_MODES = ["read_only", "write_capable"] as const;
export const ConnectionAccessModeSchema = z.enum(CONNECTION_ACCESS_MODES);
export type ConnectionAccessMode = z.infer<typeof ConnectionAccessModeSchema>;

export const SETUP_MODES = ["operator_driven", "browser_oauth", "external_runtime"] as const;
export const SetupModeSchema = z.enum(SETUP_MODES);
export type SetupMode = z.infer<typeof SetupModeSchema>;

export const ADAPTER_KINDS = ["provider_inbound", "watch_hook", "generic_webhook"] as const;
export const AdapterKindSchema = z.enum(ADAPTER_KINDS);
export type AdapterKind = z.infer<typeof AdapterKindSchema>;

export const INGRESS_AUTHENTICATIONS = [
  "shared_token",
  "provider_signature",
  "oauth_callback",
] as const;
export const IngressAuthenticationSchema = z.enum(INGRESS_AUTHENTICATIONS);
export type IngressAuthentication = z.infer<typeof IngressAuthenticationSchema>;

export const BOUNDARY_MODES = ["auto", "ask_me", "never"] as const;
export const BoundaryModeSchema = z.enum(BOUNDARY_MODES);
export type BoundaryMode = z.infer<typeof BoundaryModeSchema>;

export const EXECUTION_MODELS = ["governed_async"] as const;
export const ExecutionModelSchema = z.enum(EXECUTION_MODELS);
export type ExecutionModel = z.infer<typeof ExecutionModelSchema>;

export const WORKER_SCOPES = ["shared", "personal"] as const;
export const WorkerScopeSchema = z.enum(WORKER_SCOPES);
export type WorkerScope = z.infer<typeof WorkerScopeSchema>;

export const SETUP_SURFACES = ["setup", "connections", "workers", "activity"] as const;
export const SetupSurfaceSchema = z.enum(SETUP_SURFACES);
export type SetupSurface = z.infer<typeof SetupSurfaceSchema>;

export const HOOK_RINGS = [
  "ingress",
  "pre_flight",
  "routing",
  "post_flight",
  "background",
] as const;
export const HookRingSchema = z.enum(HOOK_RINGS);
export type HookRing = z.infer<typeof HookRingSchema>;

export const FAIL_MODES = ["open", "closed"] as const;
export const FailModeSchema = z.enum(FAIL_MODES);
export type FailMode = z.infer<typeof FailModeSchema>;

export const CONNECTOR_SYNC_MODES = ["full", "incremental", "realtime"] as const;
export const ConnectorSyncModeSchema = z.enum(CONNECTOR_SYNC_MODES);
export type ConnectorSyncMode = z.infer<typeof ConnectorSyncModeSchema>;

export const UI_WIDGETS = ["text", "number", "boolean", "select", "textarea", "array"] as const;
export const UiWidgetSchema = z.enum(UI_WIDGETS);
export type UiWidget = z.infer<typeof UiWidgetSchema>;

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export const HttpMethodSchema = z.enum(HTTP_METHODS);
export type HttpMethod = z.infer<typeof HttpMethodSchema>;

export const HTTP_AUTH_SCHEMES = [
  "none",
  "basic",
  "bearer",
  "api_key_header",
  "api_key_query",
] as const;
export const HttpAuthSchemeSchema = z.enum(HTTP_AUTH_SCHEMES);
export type HttpAuthScheme = z.infer<typeof HttpAuthSchemeSchema>;

export const HTTP_BODY_ENCODINGS = ["json", "form", "multipart"] as const;
export const HttpBodyEncodingSchema = z.enum(HTTP_BODY_ENCODINGS);
export type HttpBodyEncoding = z.infer<typeof HttpBodyEncodingSchema>;

export const JOB_STATUSES = ["queued", "in_progress", "succeeded", "failed"] as const;
export const JobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatusSchema>;
