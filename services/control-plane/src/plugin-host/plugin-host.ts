import type { PluginRuntime } from "@plugboard/contracts";
import type { ConfigValue, HookManifest, PluginManifest } from "@plugboard/plugin-sdk";
import {
  createHookPipeline,
  createIsolateSandbox,
  createPluginSet,
  type Hook,
  type HookFailureEvent,
  HookInvocationError,
  type HookPipeline,
  instanceSandbox,
  type PluginGeneration,
  type PluginInstance,
  type PluginSpec,
  type SandboxLimitsInput,
  sandboxedHook,
  type TransitionEvent,
} from "@plugboard/runtime";
import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { LifecycleSettings, SandboxSettings } from "../config.js";
import type { HookLease, HookSource } from "../hooks/hook-source.js";
import type { Schema } from "../store/schema.js";
import { loadHostedPlugins } from "./hosted-plugins.js";
import { NATIVE_HOOK_PLUGINS, nativeHook } from "./native-hooks.js";
import type { PluginContextFactory } from "./plugin-context-factory.js";
import { type RecordedFailure, sandboxRuntime, staticRuntime } from "./runtime-status.js";

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
  readonly onTransition?: (event: TransitionEvent) => void;
}

/** What `reload` came to: the new instance runs, or it did not start and the old one stayed. */
export type ReloadResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "not_code" | "not_started"; readonly message: string };

/**
 * The plugins of this control plane that run code: sandboxed plugins in one swappable set,
 * native first-party hooks beside them, and the hook pipeline made of both. `sync()` reads
 * from the database what should run and swaps it in; every change to plugins, their versions
 * or their config ends with a sync. Requests take the pipeline through `acquire()`.
 */
export interface PluginHost extends HookSource {
  /** Brings what runs in line with the database; syncs run one after another; never rejects. */
  sync(): Promise<void>;
  /** Loads a fresh instance of one plugin's code and switches to it once it started. */
  reload(pluginId: string): Promise<ReloadResult>;
  /** The running instance of a sandboxed plugin, held for one call (release the lease). */
  instance(pluginId: string): { instance: PluginInstance; release(): void } | undefined;
  /** How the plugin runs and where it stands. */
  status(manifest: PluginManifest, enabled: boolean): PluginRuntime;
  close(): Promise<void>;
}

interface Natives {
  readonly version: number;
  readonly hooks: readonly Hook[];
}

export function createPluginHost(options: PluginHostOptions): PluginHost {
  const { log } = options;
  const configs = new Map<string, Readonly<Record<string, ConfigValue>>>();
  const reloads = new Map<string, number>();
  const failures = new Map<string, RecordedFailure>();
  let blocked: ReadonlyMap<string, string> = new Map();
  let natives: Natives = { version: 0, hooks: [] };
  let wantedHooks: { readonly version: number; readonly manifests: readonly HookManifest[] } = {
    version: 0,
    manifests: [],
  };
  const nativeIds = new Set<string>();

  const limitsFor = (manifest: PluginManifest): SandboxLimitsInput => ({
    memoryLimitMb: options.sandbox.memoryLimitMb,
    cpuTimeMs: options.sandbox.cpuTimeMs,
    wallTimeMs: options.sandbox.wallTimeMs,
    dispatch: manifest.kind === "hook" ? options.sandbox.hookDispatch : "thread",
  });

  const set = createPluginSet<PluginManifest>({
    createSandbox: (spec) =>
      createIsolateSandbox({
        manifest: spec.manifest,
        source: spec.source,
        context: options.contexts(spec.manifest, configs.get(spec.key) ?? {}),
        limits: limitsFor(spec.manifest),
        onContextError: (error, method) =>
          log.warn(
            { err: error, pluginId: spec.manifest.id, method },
            "a plugin's context call failed in the host",
          ),
        onCatastrophicError: (message) =>
          log.fatal(
            { pluginId: spec.manifest.id, message },
            "an isolate lost control; restart the control plane",
          ),
      }),
    rollbackWindowMs: options.lifecycle.rollbackWindowMs,
    health: { probeIntervalMs: options.lifecycle.probeIntervalMs },
    onTransition: (event) => {
      const level = event.to === "failed" || event.to === "unhealthy" ? "warn" : "debug";
      log[level](
        {
          pluginId: event.pluginId,
          version: event.version,
          from: event.from,
          to: event.to,
          reason: event.reason,
          error: event.error,
        },
        "plugin lifecycle transition",
      );
      options.onTransition?.(event);
    },
  });

  const onHookFailure = (event: HookFailureEvent) =>
    log.warn(
      {
        hookId: event.hookId,
        ring: event.ring,
        failMode: event.failMode,
        kind: event.kind,
        message: event.message,
      },
      "a hook call failed",
    );

  /**
   * A hook that should run but does not (it failed to start, or its config is invalid): every
   * call fails as a crash, so its fail mode decides, and a fail-closed hook stops traffic
   * rather than letting it through unchecked.
   */
  const unavailableHook = (manifest: HookManifest): Hook => ({
    manifest,
    invoke() {
      const reason =
        blocked.get(manifest.id) ?? failures.get(manifest.id)?.message ?? "it did not start";
      throw new HookInvocationError("crash", `${manifest.id} is not running: ${reason}`);
    },
  });

  // One pipeline per (generation, natives, wanted hooks), built on first use after a change.
  let pipelineCache:
    | { generation: number; natives: number; wanted: number; pipeline: HookPipeline }
    | undefined;
  function pipelineFor(lease: PluginGeneration<PluginManifest, undefined>): HookPipeline {
    if (
      pipelineCache?.generation === lease.generation &&
      pipelineCache.natives === natives.version &&
      pipelineCache.wanted === wantedHooks.version
    ) {
      return pipelineCache.pipeline;
    }
    const hooks: Hook[] = [...natives.hooks];
    const present = new Set(hooks.map((hook) => hook.manifest.id));
    for (const instance of lease.instances.values()) {
      const { manifest } = instance.spec;
      if (manifest.kind !== "hook") continue;
      hooks.push(sandboxedHook(manifest, instanceSandbox(instance)));
      present.add(manifest.id);
    }
    for (const manifest of wantedHooks.manifests) {
      if (!present.has(manifest.id)) hooks.push(unavailableHook(manifest));
    }
    let pipeline: HookPipeline;
    try {
      pipeline = createHookPipeline(hooks, { onFailure: onHookFailure });
    } catch (error) {
      // Installs are checked for order cycles, so this means stored rows disagree: run the
      // first-party hooks alone rather than none, and say so.
      log.error({ err: error }, "the hooks cannot be ordered; only native hooks run");
      pipeline = createHookPipeline(natives.hooks, { onFailure: onHookFailure });
    }
    pipelineCache = {
      generation: lease.generation,
      natives: natives.version,
      wanted: wantedHooks.version,
      pipeline,
    };
    return pipeline;
  }

  async function buildNatives(
    plugins: Awaited<ReturnType<typeof loadHostedPlugins>>["native"],
  ): Promise<Natives> {
    const hooks: Hook[] = [];
    nativeIds.clear();
    for (const { manifest, config } of plugins) {
      const definition = NATIVE_HOOK_PLUGINS.get(manifest.id);
      if (definition === undefined) continue;
      try {
        hooks.push(await nativeHook(definition, manifest, options.contexts(manifest, config)));
        nativeIds.add(manifest.id);
      } catch (error) {
        log.error({ err: error, pluginId: manifest.id }, "a native hook failed to set up");
      }
    }
    return { version: natives.version + 1, hooks };
  }

  const nowIso = () => new Date().toISOString();

  async function syncOnce(): Promise<void> {
    const hosted = await loadHostedPlugins(options.db, options.dataDir);
    blocked = hosted.blocked;
    wantedHooks = { version: wantedHooks.version + 1, manifests: hosted.hooks };
    const specs: PluginSpec<PluginManifest>[] = hosted.sandboxed.map((plugin) => {
      const key = `${plugin.key}#reload:${reloads.get(plugin.manifest.id) ?? 0}`;
      configs.set(key, plugin.config);
      return { manifest: plugin.manifest, source: plugin.source, key };
    });
    natives = await buildNatives(hosted.native);
    let wanted = specs;
    for (let round = 0; round < 3; round++) {
      const result = await set.swap(wanted);
      if (result.ok) break;
      const failed = new Set(result.failures.map((failure) => failure.pluginId));
      for (const failure of result.failures) {
        failures.set(failure.pluginId, {
          code: failure.code,
          message: failure.message,
          at: nowIso(),
        });
        log.warn(
          { pluginId: failure.pluginId, code: failure.code, message: failure.message },
          "a plugin failed to start; its running instance, if any, was kept",
        );
      }
      // Keep what runs now for the plugins that failed, and swap in the rest.
      const running = set.current().instances;
      wanted = wanted.flatMap((spec) => {
        if (!failed.has(spec.manifest.id)) return [spec];
        const kept = running.get(spec.manifest.id);
        return kept === undefined ? [] : [kept.spec];
      });
    }
    const running = set.current().instances;
    for (const spec of specs) {
      if (running.get(spec.manifest.id)?.key === spec.key) failures.delete(spec.manifest.id);
    }
    for (const key of configs.keys()) {
      if (![...running.values()].some((instance) => instance.key === key)) configs.delete(key);
    }
    for (const id of failures.keys()) {
      if (!specs.some((spec) => spec.manifest.id === id)) failures.delete(id);
    }
  }

  let queue: Promise<void> = Promise.resolve();
  let pending: Promise<void> | undefined;
  /**
   * Never rejects: a change the database committed stands even when the swap after it
   * failed (the error is logged, and the next sync tries again).
   */
  function sync(): Promise<void> {
    // A sync asked for while one waits to start is the same sync.
    if (pending !== undefined) return pending;
    const next = queue
      .then(() => {
        pending = undefined;
        return syncOnce();
      })
      .catch((error: unknown) => log.error({ err: error }, "syncing plugins failed"));
    pending = next;
    queue = next;
    return next;
  }

  return {
    sync,

    hasHooks: (ring) => pipelineFor(set.current()).order[ring].length > 0,

    acquire(): HookLease {
      const lease = set.acquire();
      return { pipeline: pipelineFor(lease), release: () => lease.release() };
    },

    async reload(pluginId) {
      const running = set.current().instances.get(pluginId);
      if (running === undefined) {
        return {
          ok: false,
          reason: "not_code",
          message: blocked.get(pluginId) ?? `${pluginId} runs no code in a sandbox here`,
        };
      }
      reloads.set(pluginId, (reloads.get(pluginId) ?? 0) + 1);
      await sync();
      const now = set.current().instances.get(pluginId);
      if (now !== undefined && now !== running) return { ok: true };
      const failure = failures.get(pluginId);
      return {
        ok: false,
        reason: "not_started",
        message: `the new instance did not start${failure === undefined ? "" : ` (${failure.code}: ${failure.message})`}; the running one was kept`,
      };
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

    status(manifest, enabled) {
      const health = set.health(manifest.id);
      const failure = failures.get(manifest.id);
      if (health !== undefined && enabled) {
        const detail =
          failure === undefined
            ? null
            : `a newer instance failed to start (${failure.code}: ${failure.message}); ${health.version} keeps running`;
        return sandboxRuntime(health, set.transitions(manifest.id), detail);
      }
      const stats = nativeIds.has(manifest.id)
        ? pipelineFor(set.current())
            .stats()
            .find((entry) => entry.id === manifest.id)
        : undefined;
      return staticRuntime(manifest, {
        enabled,
        native: nativeIds.has(manifest.id) || options.nativePluginIds.has(manifest.id),
        blocked: blocked.get(manifest.id),
        failure,
        transitions: set.transitions(manifest.id),
        ...(stats === undefined
          ? {}
          : {
              calls: stats.calls,
              errors: Object.values(stats.failures).reduce((sum, count) => sum + count, 0),
            }),
      });
    },

    close: () => set.close(),
  };
}
