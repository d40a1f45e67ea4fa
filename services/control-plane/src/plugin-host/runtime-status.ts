import type {
  HookRuntime,
  PluginRunMode,
  PluginRuntime,
  PluginTransition,
} from "@plugboard/contracts";
import type { PluginManifest } from "@plugboard/plugin-sdk";
import type { HookStats, PluginGeneration } from "@plugboard/runtime";
import type { HostGeneration } from "./host-generation.js";
import type { SandboxCounters } from "./sandbox-totals.js";

/** A failure the host records about a plugin, as the API shows it. */
export interface RecordedFailure {
  readonly code: string;
  readonly message: string;
  readonly at: string;
}

/** What the host knows about one plugin when it is asked for its runtime. */
export interface RuntimeFacts {
  readonly manifest: PluginManifest;
  readonly enabled: boolean;
  /** Whether its behaviour is code of the control plane (executors, normalisers, packs). */
  readonly native: boolean;
  readonly generation: PluginGeneration<PluginManifest, HostGeneration>;
  /** The last failed start of a key that is not running, if any. */
  readonly failure: RecordedFailure | undefined;
  readonly totals: SandboxCounters;
  readonly transitions: readonly PluginTransition[];
}

function hookRuntime(stats: HookStats | undefined): HookRuntime | null {
  if (stats === undefined) return null;
  return {
    ring: stats.ring,
    failMode: stats.failMode,
    calls: stats.calls,
    failures: { ...stats.failures },
    bypasses: stats.bypasses,
    breakerSkips: stats.breakerSkips,
    breaker: { ...stats.breaker },
  };
}

function modeOf(manifest: PluginManifest, native: boolean): PluginRunMode {
  const runtime = "runtime" in manifest ? manifest.runtime : undefined;
  if (runtime?.type === "module") return "sandbox";
  if (native) return "native";
  return runtime?.type === "http" ? "declarative_http" : "none";
}

const counters = (totals: SandboxCounters) => ({
  restarts: totals.restarts,
  calls: totals.calls,
  errors: totals.errors,
  timeouts: totals.timeouts,
  crashes: totals.crashes,
  memoryLimits: totals.memoryLimits,
  loads: totals.loads,
});

/**
 * How a plugin runs and where it stands: its instance in the current generation for a
 * sandboxed plugin, its setup for a native hook, or why nothing runs. Counters are the
 * plugin's since the control plane started, over every instance; `hook` is its entry in the
 * running pipeline.
 */
export function runtimeOf(facts: RuntimeFacts): PluginRuntime {
  const { manifest, enabled, generation, failure, totals, transitions } = facts;
  const { id } = manifest;
  const stats = generation.value.pipeline.stats().find((entry) => entry.id === id);
  const hook = hookRuntime(stats);
  const unordered = generation.value.unordered.get(id);
  const instance = enabled ? generation.instances.get(id) : undefined;
  if (instance !== undefined) {
    const health = instance.health();
    return {
      mode: "sandbox",
      state: health.state,
      healthy: health.healthy,
      version: health.version,
      detail:
        unordered !== undefined
          ? `it fails every call by its fail mode: ${unordered}`
          : failure === undefined
            ? null
            : `a newer instance failed to start (${failure.code}: ${failure.message}); ${health.version} keeps running`,
      dispatch: manifest.kind === "hook" ? (health.sandbox?.dispatch ?? null) : null,
      inFlight: health.inFlight,
      ...counters(totals),
      lastProbe:
        health.lastProbe === null
          ? null
          : {
              at: health.lastProbe.at,
              healthy: health.lastProbe.healthy,
              message: health.lastProbe.message ?? null,
            },
      lastError: health.lastError,
      hook,
      transitions: [...transitions],
    };
  }
  const native = enabled ? generation.value.natives.get(id) : undefined;
  const blocked = enabled ? generation.value.blocked.get(id) : undefined;
  const mode = native !== undefined ? "native" : modeOf(manifest, facts.native);
  const base = {
    mode,
    dispatch: null,
    inFlight: 0,
    ...counters(totals),
    calls: stats?.calls ?? totals.calls,
    errors:
      stats === undefined
        ? totals.errors
        : Object.values(stats.failures).reduce((sum, count) => sum + count, 0),
    lastProbe: null,
    hook,
    transitions: [...transitions],
  };
  if (native?.failure !== undefined) {
    return {
      ...base,
      state: "failed",
      healthy: false,
      version: null,
      detail: `it did not set up: ${native.failure.message}`,
      lastError: native.failure,
    };
  }
  if (blocked !== undefined) {
    return {
      ...base,
      state: "blocked",
      healthy: false,
      version: null,
      detail: blocked.reason,
      lastError: null,
    };
  }
  if (!enabled) {
    return {
      ...base,
      state: "not_running",
      healthy: false,
      version: null,
      detail: "the plugin is disabled",
      lastError: null,
    };
  }
  if (mode === "sandbox") {
    return {
      ...base,
      state: failure === undefined ? "not_running" : "failed",
      healthy: false,
      version: null,
      detail: failure === undefined ? null : `it failed to start: ${failure.message}`,
      lastError: failure ?? null,
    };
  }
  return {
    ...base,
    state: mode === "none" ? "not_running" : "ready",
    // Nothing runs for a manifest-only plugin, so nothing of it can be unhealthy.
    healthy: true,
    version: mode === "none" ? null : manifest.version,
    detail:
      unordered !== undefined
        ? `it fails every call by its fail mode: ${unordered}`
        : mode === "none"
          ? "the manifest declares no runtime; the host runs nothing for it"
          : null,
    lastError: null,
  };
}
