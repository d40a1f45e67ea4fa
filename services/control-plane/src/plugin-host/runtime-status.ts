import type { PluginRuntime, PluginTransition } from "@plugboard/contracts";
import type { PluginManifest } from "@plugboard/plugin-sdk";
import type { InstanceHealth, TransitionEvent } from "@plugboard/runtime";

/** A failure the host records about a plugin, as the API shows it. */
export interface RecordedFailure {
  readonly code: string;
  readonly message: string;
  readonly at: string;
}

const ZERO = {
  inFlight: 0,
  restarts: 0,
  calls: 0,
  errors: 0,
  timeouts: 0,
  crashes: 0,
  memoryLimits: 0,
  loads: 0,
} as const;

export function toTransition(event: TransitionEvent): PluginTransition {
  return {
    version: event.version,
    from: event.from,
    to: event.to,
    at: event.at,
    reason: event.reason ?? null,
    error: event.error ?? null,
    delayMs: event.delayMs ?? null,
    attempt: event.attempt ?? null,
  };
}

/** A sandboxed plugin's runtime, from its instance's health. */
export function sandboxRuntime(
  health: InstanceHealth,
  transitions: readonly TransitionEvent[],
  detail: string | null,
): PluginRuntime {
  const sandbox = health.sandbox;
  return {
    mode: "sandbox",
    state: health.state,
    healthy: health.healthy,
    version: health.version,
    detail,
    inFlight: health.inFlight,
    restarts: health.restarts,
    calls: sandbox?.calls ?? 0,
    errors: sandbox?.errors ?? 0,
    timeouts: sandbox?.timeouts ?? 0,
    crashes: sandbox?.crashes ?? 0,
    memoryLimits: sandbox?.memoryLimits ?? 0,
    loads: sandbox?.loads ?? 0,
    lastProbe:
      health.lastProbe === null
        ? null
        : {
            at: health.lastProbe.at,
            healthy: health.lastProbe.healthy,
            message: health.lastProbe.message ?? null,
          },
    lastError: health.lastError,
    transitions: transitions.map(toTransition),
  };
}

/** A plugin with no running sandbox: native code, a declarative runtime, or nothing. */
export function staticRuntime(
  manifest: PluginManifest,
  facts: {
    readonly enabled: boolean;
    readonly native: boolean;
    readonly blocked: string | undefined;
    readonly failure: RecordedFailure | undefined;
    readonly transitions: readonly TransitionEvent[];
    readonly calls?: number;
    readonly errors?: number;
  },
): PluginRuntime {
  const runtime = "runtime" in manifest ? manifest.runtime : undefined;
  const mode =
    runtime?.type === "module"
      ? "sandbox"
      : facts.native
        ? "native"
        : runtime?.type === "http"
          ? "declarative_http"
          : "none";
  const runs = facts.enabled && mode !== "none" && facts.blocked === undefined;
  const state =
    mode === "sandbox"
      ? facts.failure !== undefined && facts.enabled
        ? "failed"
        : "not_running"
      : runs
        ? "ready"
        : "not_running";
  const detail = !facts.enabled
    ? "the plugin is disabled"
    : (facts.blocked ??
      (facts.failure === undefined ? null : `it failed to start: ${facts.failure.message}`) ??
      (mode === "none" ? "the manifest declares no runtime; the host runs nothing for it" : null));
  return {
    mode,
    state,
    // Nothing runs for a manifest-only plugin, so nothing of it can be unhealthy.
    healthy: state === "ready" || (mode === "none" && facts.enabled),
    version: state === "ready" ? manifest.version : null,
    detail,
    ...ZERO,
    calls: facts.calls ?? 0,
    errors: facts.errors ?? 0,
    lastProbe: null,
    lastError: facts.failure ?? null,
    transitions: facts.transitions.map(toTransition),
  };
}
