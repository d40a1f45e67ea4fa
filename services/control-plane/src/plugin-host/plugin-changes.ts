import type { PluginManifest } from "@plugboard/plugin-sdk";
import type {
  PluginGeneration,
  PluginInstance,
  PluginSet,
  PluginSpec,
  SwapFailure,
} from "@plugboard/runtime";
import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { RuntimeChange } from "../plugins/plugin-store.js";
import type { Schema } from "../store/schema.js";
import type { GenerationBuilder, GenerationParts, HostGeneration } from "./host-generation.js";
import { signatureOf } from "./host-generation.js";
import {
  type HostedPlugins,
  type HostedRows,
  readHostedRows,
  resolveHostedPlugins,
} from "./hosted-plugins.js";
import { setUpNativeHooks } from "./native-hook-setup.js";
import type { NativeHookSet } from "./native-hooks.js";
import type { PluginContextFactory } from "./plugin-context-factory.js";
import type { PluginSandboxes } from "./plugin-sandboxes.js";
import type { PluginTransitions } from "./plugin-transitions.js";
import type { RecordedFailure } from "./runtime-status.js";
import { type StartRefusal, startRefusal } from "./start-refusal.js";

/** A change to stored plugins that takes effect only if what it would run starts. */
export type PluginChange<T> = RuntimeChange<T>;

/** What `reload` came to: the new instance runs, or the plugin runs no code here. */
export type ReloadResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "not_code"; readonly message: string };

export interface PluginChanges {
  /** Brings what runs in line with the database; never rejects. */
  sync(): Promise<void>;
  /** Loads and probes what `change` would run, then stores it and switches, or refuses it. */
  apply<T>(change: PluginChange<T>): Promise<T>;
  /** Loads a fresh instance of a plugin's code and switches to it once it started. */
  reload(pluginId: string): Promise<ReloadResult>;
  /** The last failed start of the plugin, while the key that failed is what it should run. */
  failure(pluginId: string): RecordedFailure | undefined;
}

export interface PluginChangesOptions {
  readonly db: Kysely<Schema>;
  readonly dataDir: string;
  readonly set: PluginSet<PluginManifest, HostGeneration>;
  readonly sandboxes: PluginSandboxes;
  readonly builder: GenerationBuilder;
  readonly contexts: PluginContextFactory;
  readonly transitions: PluginTransitions;
  readonly log: FastifyBaseLogger;
}

/** What would run, read and set up, not yet switched in. */
interface Prepared {
  readonly hosted: HostedPlugins;
  readonly specs: readonly PluginSpec<PluginManifest>[];
  readonly natives: NativeHookSet;
}

/** The plugin a change is about, whose failure to start refuses it. */
interface Target {
  readonly pluginId: string;
  readonly path: string;
}

const sameInstances = (
  a: ReadonlyMap<string, PluginInstance<PluginManifest>>,
  b: ReadonlyMap<string, PluginInstance<PluginManifest>>,
) => a.size === b.size && [...a].every(([id, instance]) => b.get(id) === instance);

/**
 * Runs every change to what runs, one at a time: reads what should run (for a change, from a
 * transaction that stores it and is rolled back), sets up native hooks, loads and probes new
 * instances, and only then stores the change and switches, in one step. A change whose
 * plugin does not start is refused with nothing stored; a plugin that fails during a sync or
 * someone else's change keeps its running instance (or none), and the key that failed is not
 * tried again until what it would run changes or it is reloaded.
 */
export function createPluginChanges(options: PluginChangesOptions): PluginChanges {
  const { db, set, log } = options;
  /** Reloads asked for, by instance key without its reload suffix. */
  const reloads = new Map<string, number>();
  const failures = new Map<string, { readonly key: string; readonly failure: RecordedFailure }>();
  let blockedBefore = new Map<string, string>();
  let tail: Promise<unknown> = Promise.resolve();
  let pendingSync: Promise<void> | undefined;

  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = tail.then(task);
    tail = result.then(
      () => {},
      () => {},
    );
    return result;
  }

  async function dryRun(write: (trx: Kysely<Schema>) => Promise<unknown>): Promise<HostedRows> {
    const trx = await db.startTransaction().execute();
    try {
      await write(trx);
      return await readHostedRows(trx);
    } finally {
      await trx.rollback().execute();
    }
  }

  const keyWithReloads = (base: string, count: number) =>
    count === 0 ? base : `${base}#reload:${count}`;

  async function prepare(rows: HostedRows, reloading?: string): Promise<Prepared> {
    const hosted = await resolveHostedPlugins(rows, options.dataDir);
    const specs = hosted.sandboxed.map((plugin) => {
      const count = (reloads.get(plugin.key) ?? 0) + (plugin.manifest.id === reloading ? 1 : 0);
      const spec: PluginSpec<PluginManifest> = {
        manifest: plugin.manifest,
        source: plugin.source,
        key: keyWithReloads(plugin.key, count),
      };
      options.sandboxes.configure(spec, plugin.config);
      return spec;
    });
    const natives = await setUpNativeHooks(
      hosted.native,
      set.current().value.natives,
      options.contexts,
      log,
    );
    return { hosted, specs, natives };
  }

  function recordFailure(failure: SwapFailure): void {
    failures.set(failure.pluginId, {
      key: failure.key,
      failure: { code: failure.code, message: failure.message, at: new Date().toISOString() },
    });
    log.warn(
      { pluginId: failure.pluginId, code: failure.code, message: failure.message },
      "a plugin failed to start; its running instance, if any, was kept",
    );
  }

  /** The spec to swap in instead of one that failed: what runs now, or nothing. */
  function keepRunning(spec: PluginSpec<PluginManifest>): PluginSpec<PluginManifest>[] {
    const running = set.current().instances.get(spec.manifest.id);
    return running === undefined ? [] : [running.spec];
  }

  function partsOf(
    prepared: Prepared,
    instances: ReadonlyMap<string, PluginInstance<PluginManifest>>,
  ): GenerationParts {
    const failed = new Map<string, string>();
    for (const [id, { failure }] of failures) {
      if (!instances.has(id))
        failed.set(id, `it failed to start (${failure.code}: ${failure.message})`);
    }
    return {
      natives: prepared.natives,
      wanted: prepared.hosted.hooks,
      blocked: prepared.hosted.blocked,
      failed,
    };
  }

  function derive(prepared: Prepared) {
    return (
      instances: ReadonlyMap<string, PluginInstance<PluginManifest>>,
      current: PluginGeneration<PluginManifest, HostGeneration>,
    ): HostGeneration => {
      const parts = partsOf(prepared, instances);
      if (
        sameInstances(instances, current.instances) &&
        current.value.signature === signatureOf(parts)
      ) {
        return current.value;
      }
      return options.builder.build(instances, parts, current.value);
    };
  }

  /** Records what the switch settled: failures that no longer apply, newly blocked plugins. */
  function afterSwitch(prepared: Prepared): void {
    const running = set.current().instances;
    const wanted = new Map(prepared.specs.map((spec) => [spec.manifest.id, spec.key]));
    for (const [id, { key }] of failures) {
      if (wanted.get(id) !== key || running.get(id)?.key === key) failures.delete(id);
    }
    const blocked = new Map<string, string>();
    for (const [id, { manifest, reason }] of prepared.hosted.blocked) {
      blocked.set(id, reason);
      if (blockedBefore.get(id) === reason) continue;
      options.transitions.record({
        pluginId: id,
        version: manifest.version,
        instance: null,
        from: null,
        to: "blocked",
        at: new Date().toISOString(),
        reason,
        error: null,
        delayMs: null,
        attempt: null,
      });
    }
    blockedBefore = blocked;
  }

  /**
   * Swaps in what `prepared` names and runs `commit` just before the switch. Plugins other
   * than the target that fail keep what runs now, and the swap is tried again without them;
   * a failure of the target refuses the whole change.
   */
  async function switchTo<T>(
    prepared: Prepared,
    target: Target | undefined,
    commit: () => Promise<T>,
  ): Promise<T> {
    let specs = prepared.specs.flatMap((spec) => {
      const failed = failures.get(spec.manifest.id);
      const retry = spec.manifest.id === target?.pluginId || failed?.key !== spec.key;
      return retry ? [spec] : keepRunning(spec);
    });
    for (let round = 0; round <= prepared.specs.length; round++) {
      let committed: { readonly value: T } | undefined;
      const result = await set.swap(specs, {
        derive: derive(prepared),
        beforeSwitch: async () => {
          committed = { value: await commit() };
        },
      });
      if (result.ok && committed !== undefined) {
        afterSwitch(prepared);
        return committed.value;
      }
      if (result.ok) throw new Error("a swap switched without committing");
      const refused = result.failures.find((failure) => failure.pluginId === target?.pluginId);
      if (refused !== undefined && target !== undefined) {
        // Nothing is stored, so what failed is not what the plugin should run: no record.
        throw startRefusal(target, refused, set.current().instances.get(target.pluginId));
      }
      for (const failure of result.failures) recordFailure(failure);
      const failed = new Set(result.failures.map((failure) => failure.pluginId));
      specs = specs.flatMap((spec) => (failed.has(spec.manifest.id) ? keepRunning(spec) : [spec]));
    }
    throw new Error("plugins kept failing to start; nothing was switched");
  }

  function refuseFailedNative(prepared: Prepared, target: Target): void {
    const native = prepared.natives.get(target.pluginId);
    if (native?.failure === undefined) return;
    const refusal: StartRefusal = {
      pluginId: target.pluginId,
      key: native.fingerprint,
      code: native.failure.code,
      message: native.failure.message,
      issues: [],
    };
    throw startRefusal(target, refusal, undefined);
  }

  const nothing = async () => {};

  return {
    sync() {
      pendingSync ??= enqueue(async () => {
        pendingSync = undefined;
        const prepared = await prepare(await readHostedRows(db));
        await switchTo(prepared, undefined, nothing);
      }).catch((error: unknown) => log.error({ err: error }, "syncing plugins failed"));
      return pendingSync;
    },

    apply(change) {
      return enqueue(async () => {
        const target = { pluginId: change.pluginId, path: change.path };
        const prepared = await prepare(await dryRun(change.write));
        refuseFailedNative(prepared, target);
        return switchTo(prepared, target, () =>
          db.transaction().execute((trx) => change.write(trx)),
        );
      });
    },

    reload(pluginId) {
      return enqueue(async (): Promise<ReloadResult> => {
        const prepared = await prepare(await readHostedRows(db), pluginId);
        const plugin = prepared.hosted.sandboxed.find((entry) => entry.manifest.id === pluginId);
        if (plugin === undefined) {
          const reason =
            prepared.hosted.blocked.get(pluginId)?.reason ??
            `${pluginId} runs no code in a sandbox here`;
          return { ok: false, reason: "not_code", message: reason };
        }
        const count = (reloads.get(plugin.key) ?? 0) + 1;
        await switchTo(prepared, { pluginId, path: "id" }, async () => {
          reloads.set(plugin.key, count);
        });
        return { ok: true };
      });
    },

    failure(pluginId) {
      const recorded = failures.get(pluginId);
      if (recorded === undefined) return undefined;
      return set.current().instances.get(pluginId)?.key === recorded.key
        ? undefined
        : recorded.failure;
    },
  };
}
