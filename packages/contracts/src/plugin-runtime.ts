import { FailModeSchema, HookRingSchema } from "@plugboard/plugin-sdk";
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
 * `stopped`, `failed`); `not_running` is a plugin the host does not run (disabled, or
 * without code); `blocked` is an enabled plugin with code that cannot run (its config is not
 * valid, or its bundle is missing); `ready` is a native or declarative plugin, ready on each
 * call.
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
  "blocked",
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

/** One lifecycle transition of one instance of the plugin, or of the plugin itself. */
export const PluginTransitionSchema = z.strictObject({
  version: z.string(),
  /**
   * The instance the transition belongs to (its key: the version, a digest of its bundle,
   * config and grants, and its reload count); null for the plugin itself (`blocked`).
   */
  instance: z.string().nullable(),
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

/**
 * How a hook call can fail, and the states of a hook's circuit breaker: the runtime's
 * (`HOOK_FAILURE_KINDS`, `BREAKER_STATES`), which a test of the control plane holds these to.
 */
export const HOOK_CALL_FAILURES = ["throw", "rejection", "timeout", "bad_result", "crash"] as const;
export const HOOK_BREAKER_STATES = ["closed", "open", "half_open"] as const;

/** Where sandboxed hook calls run: on the calling thread, or on the isolate thread pool. */
export const SandboxDispatchSchema = z.enum(["inline", "thread"]);

/** A hook plugin as the hook pipeline sees it: its calls, failures and breaker. */
export const HookRuntimeSchema = z.strictObject({
  ring: HookRingSchema,
  failMode: FailModeSchema,
  /** Calls made, failed or not. */
  calls: z.int().min(0),
  /** Failed calls by kind; each applied the hook's fail mode. */
  failures: z.strictObject(
    Object.fromEntries(HOOK_CALL_FAILURES.map((kind) => [kind, z.int().min(0)])) as Record<
      (typeof HOOK_CALL_FAILURES)[number],
      z.ZodInt
    >,
  ),
  /** Requests that went on without this hook's verdict: failed fail-open calls and skips. */
  bypasses: z.int().min(0),
  /** The bypasses where the open breaker skipped the hook without calling it. */
  breakerSkips: z.int().min(0),
  breaker: z.strictObject({
    state: z.enum(HOOK_BREAKER_STATES),
    consecutiveFailures: z.int().min(0),
  }),
});
export type HookRuntime = z.infer<typeof HookRuntimeSchema>;

/** What the host reports about a plugin's runtime; counters only grow. */
export const PluginRuntimeSchema = z.strictObject({
  mode: PluginRunModeSchema,
  state: PluginRuntimeStateSchema,
  healthy: z.boolean(),
  /** The version running (for a sandbox: the current instance's). */
  version: z.string().nullable(),
  /** Why it is not running, or what the last start attempt said. */
  detail: z.string().nullable(),
  /** Where its hook calls run, for a sandboxed hook; null otherwise. */
  dispatch: SandboxDispatchSchema.nullable(),
  inFlight: z.int().min(0),
  /** Restart attempts, and the counters below, since the control plane started, over every instance. */
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
  /** For a hook in the running pipeline: its calls, failures, bypasses and breaker. */
  hook: HookRuntimeSchema.nullable(),
  /** The newest transitions of every instance the plugin has had, oldest first. */
  transitions: z.array(PluginTransitionSchema),
});
export type PluginRuntime = z.infer<typeof PluginRuntimeSchema>;

/** Enable, disable and reload take no settings; send `{}`. */
export const PluginActionRequestSchema = z.strictObject({});

export const PluginRuntimeWireSchema: WireSchema<typeof PluginRuntimeSchema> =
  toWireSchema(PluginRuntimeSchema);
