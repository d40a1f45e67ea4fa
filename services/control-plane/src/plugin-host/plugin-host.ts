import type { PluginRuntime } from "@plugboard/contracts";
import type { PluginManifest } from "@plugboard/plugin-sdk";
import { createPluginSet, type PluginInstance } from "@plugboard/runtime";
import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { LifecycleSettings, SandboxSettings } from "../config.js";
import type { HookLease, HookSource } from "../hooks/hook-source.js";
import type { Schema } from "../store/schema.js";
import { createGenerationBuilder, type HostGeneration } from "./host-generation.js";
import { logHookFailure, logOrderProblem, logTransition } from "./host-logging.js";
import { createPluginChanges, type PluginChange, type ReloadResult } from "./plugin-changes.js";
import type { PluginContextFactory } from "./plugin-context-factory.js";
import { createPluginSandboxes } from "./plugin-sandboxes.js";
import {
  createPluginTransitions,
  type HostTransition,
  toHostTransition,
} from "./plugin-transitions.js";
import { runtimeOf } from "./runtime-status.js";
import { createSandboxTotals } from "./sandbox-totals.js";

export type { PluginChange, ReloadResult } from "./plugin-changes.js";

export interface PluginHostOptions {
  readonly db: Kysely<Schema>;
  readonly dataDir: string;
  readonly contexts: PluginContextFactory;
  readonly sandbox: SandboxSettings;
  readonly lifecycle: LifecycleSettings;
  /** Ids of first-party plugins whose behaviour is code of the control plane. */
  readonly nativePluginIds: ReadonlySet<string>;
  readonly log: FastifyBaseLogger;
  /** Told about every lifecycle transition (to publish it as an event). */
  readonly onTransition?: (transition: HostTransition) => void;
}

/** Transitions kept per plugin, over all its instances. */
const TRANSITIONS_KEPT = 100;

/**
 * The plugins of this control plane that run code: sandboxed plugins in one swappable set,
 * native first-party hooks beside them, and the hook pipeline made of both, all switched in
 * together as one generation. Every change to what runs goes through `apply` (or `reload`);
 * `sync()` brings what runs in line with the database at start. Requests take the pipeline
 * through `acquire()`.
 */
export interface PluginHost extends HookSource {
  sync(): Promise<void>;
  apply<T>(change: PluginChange<T>): Promise<T>;
  reload(pluginId: string): Promise<ReloadResult>;
  /** The running instance of a sandboxed plugin, held for one call (release the lease). */
  instance(pluginId: string): { instance: PluginInstance; release(): void } | undefined;
  /** How the plugin runs and where it stands. */
  status(manifest: PluginManifest, enabled: boolean): PluginRuntime;
  close(): Promise<void>;
}

export function createPluginHost(options: PluginHostOptions): PluginHost {
  const { log, lifecycle } = options;
  const totals = createSandboxTotals();
  const transitions = createPluginTransitions(TRANSITIONS_KEPT, (transition) =>
    options.onTransition?.(transition),
  );
  const sandboxes = createPluginSandboxes({
    contexts: options.contexts,
    settings: options.sandbox,
    totals,
    log,
  });
  const builder = createGenerationBuilder({
    onFailure: (event) => logHookFailure(log, event),
    onOrderProblem: (error) => logOrderProblem(log, error),
  });
  const set = createPluginSet<PluginManifest, HostGeneration>({
    createSandbox: (spec) => sandboxes.create(spec),
    derive: (instances) =>
      builder.build(
        instances,
        { natives: new Map(), wanted: [], blocked: new Map(), failed: new Map() },
        undefined,
      ),
    rollbackWindowMs: lifecycle.rollbackWindowMs,
    health: {
      probeIntervalMs: lifecycle.probeIntervalMs,
      restartInitialDelayMs: lifecycle.restartBaseMs,
      restartMaxDelayMs: lifecycle.restartMaxMs,
    },
    onTransition: (event) => {
      logTransition(log, event);
      if (event.from === "restarting" && event.to === "loading") {
        totals.countRestart(event.pluginId);
      }
      transitions.record(toHostTransition(event));
    },
  });
  const changes = createPluginChanges({
    db: options.db,
    dataDir: options.dataDir,
    set,
    sandboxes,
    builder,
    contexts: options.contexts,
    transitions,
    log,
  });

  return {
    sync: () => changes.sync(),
    apply: (change) => changes.apply(change),
    reload: (pluginId) => changes.reload(pluginId),

    hasHooks: (ring) => set.current().value.pipeline.order[ring].length > 0,

    acquire(): HookLease {
      const lease = set.acquire();
      return { pipeline: lease.value.pipeline, release: () => lease.release() };
    },

    instance(pluginId) {
      const lease = set.acquire();
      const instance = lease.instances.get(pluginId);
      if (instance === undefined) {
        lease.release();
        return undefined;
      }
      return { instance, release: () => lease.release() };
    },

    status: (manifest, enabled) =>
      runtimeOf({
        manifest,
        enabled,
        native: options.nativePluginIds.has(manifest.id),
        generation: set.current(),
        failure: changes.failure(manifest.id),
        totals: totals.of(manifest.id),
        transitions: transitions.of(manifest.id),
      }),

    close: () => set.close(),
  };
}
