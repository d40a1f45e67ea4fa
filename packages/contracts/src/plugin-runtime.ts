import { z } from "zod";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/**
 * How a plugin runs in this host: `sandbox` (its code in an isolate), `native` (first-party
 * code shipped with the control plane), `declarative_http` (operations the HTTP interpreter
 * performs on each call; nothing stays loaded), `none` (a manifest only: it describes
 * something the host does itself, or nothing runs).
 */
export const PLUGIN_RUN_MODES = ["sandbox", "native", "declarative_http", "none"] as const;
export const PluginRunModeSchema = z.enum(PLUGIN_RUN_MODES);
export type PluginRunMode = z.infer<typeof PluginRunModeSchema>;

/**
 * Where a plugin's runtime stands. The sandbox states are the lifecycle manager's
 * (`validated` → `loading` → `starting` → `running`, `unhealthy` → `restarting`, `stopping` →
 * `stopped`, `failed`); `not_running` is a plugin the host does not run (disabled, not
 * configured, or without code); `ready` is a native or declarative plugin, ready on each call.
 */
export const PLUGIN_RUNTIME_STATES = [
  "validated",
  "loading",
  "starting",
  "running",
  "unhealthy",
  "restarting",
  "stopping",
  "stopped",
  "failed",
  "not_running",
  "ready",
] as const;
export const PluginRuntimeStateSchema = z.enum(PLUGIN_RUNTIME_STATES);
export type PluginRuntimeState = z.infer<typeof PluginRuntimeStateSchema>;

const TimestampSchema = z.iso.datetime({ offset: true });

export const RuntimeFailureSchema = z.strictObject({
  code: z.string().min(1),
  message: z.string(),
  at: TimestampSchema,
});

/** One lifecycle transition of one instance of the plugin. */
export const PluginTransitionSchema = z.strictObject({
  version: z.string(),
  /** Null for the event that reports a new instance. */
  from: PluginRuntimeStateSchema.nullable(),
  to: PluginRuntimeStateSchema,
  at: TimestampSchema,
  reason: z.string().nullable(),
  error: RuntimeFailureSchema.nullable(),
  /** For `restarting`: the wait before the next load, and which restart in a row it is. */
  delayMs: z.int().nullable(),
  attempt: z.int().nullable(),
});
export type PluginTransition = z.infer<typeof PluginTransitionSchema>;

/** What the host reports about a plugin's runtime; counters only grow. */
export const PluginRuntimeSchema = z.strictObject({
  mode: PluginRunModeSchema,
  state: PluginRuntimeStateSchema,
  healthy: z.boolean(),
  /** The version running (for a sandbox: the current instance's). */
  version: z.string().nullable(),
  /** Why it is not running, or what the last start attempt said. */
  detail: z.string().nullable(),
  inFlight: z.int().min(0),
  restarts: z.int().min(0),
  calls: z.int().min(0),
  errors: z.int().min(0),
  timeouts: z.int().min(0),
  crashes: z.int().min(0),
  memoryLimits: z.int().min(0),
  loads: z.int().min(0),
  lastProbe: z
    .strictObject({ at: TimestampSchema, healthy: z.boolean(), message: z.string().nullable() })
    .nullable(),
  lastError: RuntimeFailureSchema.nullable(),
  /** The newest transitions of every instance the plugin has had, oldest first. */
  transitions: z.array(PluginTransitionSchema),
});
export type PluginRuntime = z.infer<typeof PluginRuntimeSchema>;

/** Enable, disable and reload take no settings; send `{}`. */
export const PluginActionRequestSchema = z.strictObject({});

export const PluginRuntimeWireSchema: WireSchema<typeof PluginRuntimeSchema> =
  toWireSchema(PluginRuntimeSchema);
