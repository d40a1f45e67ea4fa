import type { ConfigValue, PluginManifest } from "@plugboard/plugin-sdk";
import {
  createIsolateSandbox,
  type PluginSpec,
  type Sandbox,
  type SandboxDispatchMode,
} from "@plugboard/runtime";
import type { FastifyBaseLogger } from "fastify";
import type { SandboxSettings } from "../config.js";
import type { PluginContextFactory } from "./plugin-context-factory.js";
import type { SandboxTotals } from "./sandbox-totals.js";

export interface PluginSandboxesOptions {
  readonly contexts: PluginContextFactory;
  readonly settings: SandboxSettings;
  readonly totals: SandboxTotals;
  readonly log: FastifyBaseLogger;
}

/** Where the plugin set's instances get their sandboxes from. */
export interface PluginSandboxes {
  /** Records the config the sandboxes of `spec` run with; kept as long as the spec is. */
  configure(spec: PluginSpec<PluginManifest>, config: Readonly<Record<string, ConfigValue>>): void;
  /** A fresh sandbox for `spec` (at its first start, and at every restart). */
  create(spec: PluginSpec<PluginManifest>): Sandbox;
}

/**
 * Makes each sandbox with the plugin's limits and context, counts it in `totals`, and
 * decides where a hook's calls run. Under `inline` dispatch a plugin that ran away once is
 * moved to the thread pool by its sandbox; a restart or a new version brings a new sandbox,
 * so the host remembers the plugin and gives every later sandbox of it `thread`, for the life
 * of the process.
 */
export function createPluginSandboxes(options: PluginSandboxesOptions): PluginSandboxes {
  const { settings, totals, log } = options;
  const configs = new WeakMap<PluginSpec<PluginManifest>, Readonly<Record<string, ConfigValue>>>();
  const ranAway = new Set<string>();

  const dispatchFor = (manifest: PluginManifest): SandboxDispatchMode =>
    manifest.kind === "hook" && !ranAway.has(manifest.id) ? settings.hookDispatch : "thread";

  return {
    configure(spec, config) {
      configs.set(spec, config);
    },

    create(spec) {
      const { manifest } = spec;
      const pluginId = manifest.id;
      const dispatch = dispatchFor(manifest);
      const config = configs.get(spec);
      // Every spec the host hands the plugin set is configured first; running plugin code on
      // settings nobody validated would hide that bug.
      if (config === undefined) throw new Error(`${spec.key} was given no config to run with`);
      const inner = createIsolateSandbox({
        manifest,
        source: spec.source,
        context: options.contexts(manifest, config),
        limits: {
          memoryLimitMb: settings.memoryLimitMb,
          cpuTimeMs: settings.cpuTimeMs,
          wallTimeMs: settings.wallTimeMs,
          dispatch,
        },
        onContextError: (error, method) =>
          log.warn({ err: error, pluginId, method }, "a plugin's context call failed in the host"),
        onCatastrophicError: (message) =>
          log.fatal({ pluginId, message }, "an isolate lost control; restart the control plane"),
      });
      const noteRunaway = () => {
        if (dispatch !== "inline" || ranAway.has(pluginId)) return;
        if (inner.health().dispatch !== "thread") return;
        ranAway.add(pluginId);
        log.warn(
          { pluginId },
          "a hook ran away under inline dispatch; it runs on threads from now",
        );
      };
      totals.track(pluginId, inner);
      let disposed = false;
      return {
        pluginId,
        load: () => inner.load(),
        async call(handler, args, callOptions) {
          try {
            return await inner.call(handler, args, callOptions);
          } catch (error) {
            noteRunaway();
            throw error;
          }
        },
        health: () => inner.health(),
        dispose() {
          if (disposed) return;
          disposed = true;
          noteRunaway();
          inner.dispose();
          totals.retire(pluginId, inner);
        },
      };
    },
  };
}
