import type { ManifestIssue } from "@plugboard/plugin-sdk";
import type { InstanceState } from "./instance-states.js";
import type { LifecycleErrorCode } from "./lifecycle-errors.js";
import type { PluginInstance } from "./plugin-instance.js";
import { type PluginSpec, specIdentity } from "./plugin-spec.js";

/** Why one plugin kept a swap from going through. */
export interface SwapFailure {
  readonly pluginId: string;
  readonly key: string;
  /** The instance's state when it failed (`failed` for specs that never loaded). */
  readonly state: InstanceState;
  readonly code: string;
  readonly message: string;
  /** For `invalid_plugin`: each problem with its field path. */
  readonly issues: readonly ManifestIssue[];
}

/** Which instances a swap carries over, which it creates, and what is wrong already. */
export interface SwapPlan<M extends object> {
  /** The instances of the next generation, in the order of the specs. */
  readonly chosen: readonly PluginInstance<M>[];
  /** The instances made for this swap (the duplicates and invalid ones too). */
  readonly created: readonly PluginInstance<M>[];
  readonly failures: readonly SwapFailure[];
}

const DEAD_STATES: ReadonlySet<InstanceState> = new Set(["stopping", "stopped", "failed"]);

/** Whether an instance can still serve (running, or on its way back from a failure). */
export function isLive(instance: PluginInstance<object>): boolean {
  return !DEAD_STATES.has(instance.state);
}

/** An instance's failure, as a swap result names it. */
export function swapFailureOf(instance: PluginInstance<object>): SwapFailure {
  const error = instance.health().lastError;
  return {
    pluginId: instance.pluginId,
    key: instance.key,
    state: instance.state,
    code: error?.code ?? "unavailable",
    message: error?.message ?? `the instance is ${instance.state}`,
    issues: instance.issues,
  };
}

/**
 * Matches specs with loaded instances: a live instance with the same key and plugin id is
 * carried over, any other spec gets a new (validated, not started) instance from `create`.
 * A spec that fails validation, and a second spec for a plugin id, are failures.
 */
export function planSwap<M extends object>(
  specs: readonly PluginSpec<M>[],
  loaded: Iterable<PluginInstance<M>>,
  create: (spec: PluginSpec<M>) => PluginInstance<M>,
): SwapPlan<M> {
  const byKey = new Map<string, PluginInstance<M>>();
  for (const instance of loaded) if (isLive(instance)) byKey.set(instance.key, instance);
  const chosen: PluginInstance<M>[] = [];
  const created: PluginInstance<M>[] = [];
  const failures: SwapFailure[] = [];
  for (const spec of specs) {
    const candidate = byKey.get(spec.key);
    const reuse = candidate !== undefined && candidate.pluginId === specIdentity(spec).id;
    const instance = reuse ? candidate : create(spec);
    if (!reuse) created.push(instance);
    if (instance.state === "failed") {
      failures.push(swapFailureOf(instance));
    } else if (chosen.some((other) => other.pluginId === instance.pluginId)) {
      failures.push({
        pluginId: instance.pluginId,
        key: instance.key,
        state: instance.state,
        code: "duplicate_plugin" satisfies LifecycleErrorCode,
        message: `plugin "${instance.pluginId}" is named by more than one spec`,
        issues: [],
      });
    } else {
      chosen.push(instance);
    }
  }
  return { chosen, created, failures };
}
