import type { AnyKindDefinition, KindSet, PluginManifest } from "@plugboard/plugin-sdk";
import type { Sandbox } from "../sandbox/sandbox.js";
import { type BoundedLog, createBoundedLog } from "./bounded-log.js";
import { createInFlight } from "./in-flight.js";
import type { TransitionEvent } from "./instance-states.js";
import { LifecycleError } from "./lifecycle-errors.js";
import {
  type LifecycleSettingsInput,
  LifecycleSettingsSchema,
  type PluginSetSettingsInput,
  PluginSetSettingsSchema,
  parseSettings,
} from "./lifecycle-settings.js";
import { isLive, planSwap, swapFailureOf } from "./plan-swap.js";
import {
  type GenerationRecord,
  leaseGeneration,
  type PluginGeneration,
  type PluginLease,
} from "./plugin-generation.js";
import {
  createPluginInstance,
  type InstanceHealth,
  type PluginInstance,
} from "./plugin-instance.js";
import { type PluginSpec, specIdentity } from "./plugin-spec.js";
import { createRetainedInstances } from "./retained-instances.js";
import { createSerialQueue } from "./serial-queue.js";
import type { RollbackResult, SwapOptions, SwapResult } from "./swap-outcome.js";

export type { RollbackResult, SwapOptions, SwapResult } from "./swap-outcome.js";

export interface PluginSetOptions<M extends object> extends PluginSetSettingsInput {
  /** Makes a sandbox for a spec, with the context the host built for it. */
  readonly createSandbox: (spec: PluginSpec<M>) => Sandbox;
  /** Probing, restart and stop settings for every instance. */
  readonly health?: LifecycleSettingsInput;
  /** The kinds validation accepts; the built-in kinds when omitted. */
  readonly kinds?: KindSet<AnyKindDefinition>;
  /** Told about every transition of every instance; an error it throws is ignored. */
  readonly onTransition?: (event: TransitionEvent) => void;
  /** The clock for event times, in epoch milliseconds. */
  readonly now?: () => number;
}

/** Builds a generation's value from its instances; called once per generation, at the swap. */
export type DeriveGeneration<M extends object, V> = (
  instances: ReadonlyMap<string, PluginInstance<M>>,
) => V;

export interface PluginSet<M extends object, V> {
  /** The current generation, not held: use `acquire()` for calls. */
  current(): PluginGeneration<M, V>;
  /** Holds the current generation for one request; the host calls `release()` when done. */
  acquire(): PluginLease<M, V>;
  /** Replaces the whole set (see `createPluginSet`). */
  swap(specs: readonly PluginSpec<M>[], options?: SwapOptions<M, V>): Promise<SwapResult>;
  /** Swaps in `spec` in place of the plugin with its id (or adds it), keeping the others. */
  replace(spec: PluginSpec<M>, options?: SwapOptions<M, V>): Promise<SwapResult>;
  /** Swaps to the set without `pluginId`. */
  remove(pluginId: string, options?: SwapOptions<M, V>): Promise<SwapResult>;
  /** Switches back to the previous generation, which is still loaded, within the window. */
  rollback(): Promise<RollbackResult>;
  /** Refuses new work, waits for leases (up to `closeTimeoutMs`) and stops every instance. */
  close(): Promise<void>;
  /** The health of the plugin's instance in the current generation. */
  health(pluginId: string): InstanceHealth | undefined;
  /** The newest transitions of every instance the plugin has had, oldest first. */
  transitions(pluginId: string): readonly TransitionEvent[];
}

const idsOf = (instances: readonly PluginInstance<object>[]) =>
  instances.map((instance) => instance.pluginId);

/**
 * Runs a set of plugins and swaps it as a whole while calls flow. A request `acquire()`s the
 * current generation once and makes all its calls on it. `swap(specs)` reuses instances whose
 * key is loaded (in the current generation, the previous one, or among the instances that
 * left within the rollback window), loads and probes the others in parallel, and switches
 * only if all of them start and `beforeSwitch` succeeds; the switch is one assignment. Leases
 * on older generations finish on their instances. The previous generation stays loaded for
 * `rollback()` during `rollbackWindowMs`, and so does each instance that left the current
 * generation (the newest one per plugin id and version), so a later swap back to it reuses it.
 * An instance is stopped once nothing of this holds it. Swaps and rollbacks run one at a
 * time, in call order.
 *
 * @example
 * const set = createPluginSet({
 *   createSandbox: (spec) => createIsolateSandbox({ manifest: spec.manifest, source: spec.source, context: contextFor(spec) }),
 *   derive: (instances) => createHookPipeline([...instances.values()].map(hookOf)),
 * });
 * await set.swap(specs);
 * const lease = set.acquire();
 * try { await lease.value.run("pre_flight", input); } finally { lease.release(); }
 */
export function createPluginSet<M extends object = PluginManifest, V = undefined>(
  options: PluginSetOptions<M> & { readonly derive: DeriveGeneration<M, V> },
): PluginSet<M, V>;
export function createPluginSet<M extends object = PluginManifest>(
  options: PluginSetOptions<M>,
): PluginSet<M, undefined>;
export function createPluginSet<M extends object, V>(
  options: PluginSetOptions<M> & { readonly derive?: DeriveGeneration<M, V> },
): PluginSet<M, V | undefined> {
  const settings = parseSettings(
    PluginSetSettingsSchema,
    { rollbackWindowMs: options.rollbackWindowMs, closeTimeoutMs: options.closeTimeoutMs },
    "",
  );
  const health = parseSettings(LifecycleSettingsSchema, options.health, "health.");
  const derive = (instances: ReadonlyMap<string, PluginInstance<M>>) => options.derive?.(instances);
  const queue = createSerialQueue();
  const history = new Map<string, BoundedLog<TransitionEvent>>();
  /** Instances this set owns that have not been told to stop. */
  const live = new Set<PluginInstance<M>>();
  /** Instances a swap under way means to carry over; never stopped meanwhile. */
  const pinned = new Set<PluginInstance<M>>();
  const leased = new Set<GenerationRecord<M, V | undefined>>();
  const stopping = new Set<Promise<void>>();
  /** Generations with at least one lease, counted to let `close()` wait for them. */
  const leases = createInFlight();
  let current: GenerationRecord<M, V | undefined> = {
    view: { generation: 0, instances: new Map(), value: derive(new Map()) },
    leases: 0,
  };
  let previous: GenerationRecord<M, V | undefined> | undefined;
  /** Instances that left the current generation within the window, for a swap back to them. */
  const retained = createRetainedInstances<M>(settings.rollbackWindowMs, () => collect());
  let expired: number | undefined;
  let windowTimer: ReturnType<typeof setTimeout> | undefined;
  let nextGeneration = 1;
  let closed = false;
  let closing: Promise<void> | undefined;

  function record(event: TransitionEvent): void {
    let log = history.get(event.pluginId);
    if (log === undefined) {
      log = createBoundedLog(health.historyLimit);
      history.set(event.pluginId, log);
    }
    log.append(event);
    try {
      options.onTransition?.(event);
    } catch {
      // The host's listener must not break the set.
    }
  }

  function closedError(): LifecycleError {
    return new LifecycleError("closed", "", "the plugin set was closed");
  }

  function retire(instance: PluginInstance<M>, reason: string): void {
    live.delete(instance);
    const stopped = instance.stop(reason);
    stopping.add(stopped);
    const forget = () => stopping.delete(stopped);
    stopped.then(forget, forget);
  }

  /** Stops every instance no generation that may still be used holds. */
  function collect(): void {
    const keep = new Set<PluginInstance<M>>([...pinned, ...retained.instances()]);
    for (const generation of [current, previous, ...leased]) {
      for (const instance of generation?.view.instances.values() ?? []) keep.add(instance);
    }
    for (const instance of [...live]) {
      if (!keep.has(instance)) retire(instance, "it left the plugin set");
    }
  }

  function switchTo(next: GenerationRecord<M, V | undefined>, keepPrevious: boolean): void {
    const left = current;
    current = next;
    // What a swap replaced may be swapped back to; what a rollback left was rejected.
    if (keepPrevious) {
      for (const instance of left.view.instances.values()) {
        if (next.view.instances.get(instance.pluginId) !== instance) retained.retain(instance);
      }
    }
    for (const instance of next.view.instances.values()) retained.release(instance);
    clearTimeout(windowTimer);
    windowTimer = undefined;
    expired = undefined;
    previous = keepPrevious && settings.rollbackWindowMs > 0 ? left : undefined;
    if (previous !== undefined) {
      windowTimer = setTimeout(() => {
        windowTimer = undefined;
        expired = previous?.view.generation;
        previous = undefined;
        collect();
      }, settings.rollbackWindowMs);
      windowTimer.unref();
    }
    collect();
  }

  function changedIds(
    from: PluginGeneration<M, unknown>,
    to: PluginGeneration<M, unknown>,
  ): string[] {
    return [...from.instances]
      .filter(([id, instance]) => to.instances.get(id) !== instance)
      .map(([id]) => id);
  }

  async function abandon(instances: readonly PluginInstance<M>[]): Promise<void> {
    await Promise.all(instances.map((instance) => instance.stop("the swap did not go through")));
  }

  async function runSwap(
    specs: readonly PluginSpec<M>[],
    swapOptions: SwapOptions<M, V | undefined>,
  ): Promise<SwapResult> {
    const loaded = [
      ...[previous, current].flatMap((generation) => [
        ...(generation?.view.instances.values() ?? []),
      ]),
      ...retained.instances(),
    ];
    const {
      chosen,
      created,
      failures: planned,
    } = planSwap(specs, loaded, (spec) =>
      createPluginInstance({
        spec,
        createSandbox: options.createSandbox,
        settings: health,
        ...(options.kinds === undefined ? {} : { kinds: options.kinds }),
        onTransition: record,
        ...(options.now === undefined ? {} : { now: options.now }),
      }),
    );
    const failures = [...planned];
    for (const instance of chosen) pinned.add(instance);
    try {
      if (failures.length === 0) {
        await Promise.all(created.map((instance) => instance.start()));
        for (const instance of chosen) {
          if (!isLive(instance)) failures.push(swapFailureOf(instance));
        }
      }
      if (failures.length > 0) {
        await abandon(created);
        return { ok: false, generation: current.view.generation, failures };
      }
      const instances = new Map(chosen.map((instance) => [instance.pluginId, instance]));
      const sameInstances =
        instances.size === current.view.instances.size &&
        chosen.every((instance) => current.view.instances.get(instance.pluginId) === instance);
      let same = sameInstances;
      let next = current.view;
      try {
        const value =
          swapOptions.derive !== undefined
            ? swapOptions.derive(instances, current.view)
            : sameInstances
              ? current.view.value
              : derive(instances);
        same = sameInstances && Object.is(value, current.view.value);
        if (!same) next = { generation: nextGeneration, instances, value };
        await swapOptions.beforeSwitch?.(next);
      } catch (error) {
        await abandon(created);
        throw error;
      }
      const reused = idsOf(chosen.filter((instance) => !created.includes(instance)));
      const generation = next.generation;
      if (same) return { ok: true, changed: false, generation, started: [], reused, retired: [] };
      nextGeneration += 1;
      for (const instance of created) live.add(instance);
      const retired = changedIds(current.view, next);
      switchTo({ view: next, leases: 0 }, true);
      return { ok: true, changed: true, generation, started: idsOf(created), reused, retired };
    } finally {
      for (const instance of chosen) pinned.delete(instance);
      collect();
    }
  }

  function enqueueSwap(
    specsOf: () => readonly PluginSpec<M>[],
    swapOptions: SwapOptions<M, V | undefined> = {},
  ): Promise<SwapResult> {
    if (closed) return Promise.reject(closedError());
    return queue.run(() => runSwap(specsOf(), swapOptions));
  }

  const currentSpecs = () => [...current.view.instances.values()].map((instance) => instance.spec);

  async function runRollback(): Promise<RollbackResult> {
    const target = previous;
    if (target === undefined) {
      const message =
        expired === undefined
          ? "there is no previous generation to roll back to"
          : `the rollback window of ${settings.rollbackWindowMs} ms for generation ${expired} has closed; its instances were released`;
      throw new LifecycleError("rollback_unavailable", "", message);
    }
    const gone = [...target.view.instances.values()].filter((instance) => !isLive(instance));
    if (gone.length > 0) {
      const names = gone.map((instance) => `"${instance.pluginId}" (${instance.state})`).join(", ");
      throw new LifecycleError(
        "rollback_unavailable",
        gone[0]?.pluginId ?? "",
        `generation ${target.view.generation} cannot come back: ${names} no longer loaded`,
      );
    }
    const restored = changedIds(target.view, current.view);
    switchTo(target, false);
    return { generation: target.view.generation, restored };
  }

  async function shutDown(): Promise<void> {
    clearTimeout(windowTimer);
    windowTimer = undefined;
    previous = undefined;
    retained.clear();
    await leases.drained(settings.closeTimeoutMs);
    for (const instance of [...live]) retire(instance, "the plugin set was closed");
    await Promise.all([...stopping]);
  }

  return {
    current: () => current.view,

    acquire() {
      if (closed) throw closedError();
      const held = current;
      if (held.leases === 0) leases.enter();
      leased.add(held);
      return leaseGeneration(held, () => {
        leased.delete(held);
        collect();
        leases.leave();
      });
    },

    swap: (specs, swapOptions) => enqueueSwap(() => specs, swapOptions),

    replace(spec, swapOptions) {
      return enqueueSwap(() => {
        const { id } = specIdentity(spec);
        const specs = currentSpecs();
        if (!current.view.instances.has(id)) return [...specs, spec];
        return specs.map((other) => (specIdentity(other).id === id ? spec : other));
      }, swapOptions);
    },

    remove(pluginId, swapOptions) {
      return enqueueSwap(
        () => currentSpecs().filter((spec) => specIdentity(spec).id !== pluginId),
        swapOptions,
      );
    },

    rollback() {
      if (closed) return Promise.reject(closedError());
      return queue.run(runRollback);
    },

    close() {
      closed = true;
      closing ??= queue.run(shutDown);
      return closing;
    },

    health: (pluginId) => current.view.instances.get(pluginId)?.health(),

    transitions: (pluginId) => history.get(pluginId)?.entries() ?? [],
  };
}
