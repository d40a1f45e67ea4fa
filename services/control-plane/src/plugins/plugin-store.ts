import type { PluginRuntime } from "@plugboard/contracts";
import type { PluginManifest } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";

/** A change to stored plugins that takes effect only if what it would run starts. */
export interface RuntimeChange<T> {
  /** The plugin changed: if its new code or config does not start, the change is refused. */
  readonly pluginId: string;
  /** The request field a refusal names (`bundle`, `config`, `id`). */
  readonly path: string;
  /**
   * Stores the change on `trx`, touching nothing else. It runs twice: in a transaction that
   * is rolled back, to learn what would run, and again, committed, just before the switch.
   */
  readonly write: (trx: Kysely<Schema>) => Promise<T>;
}

/** What the plugin routes see of the running plugins: their status, and how to change them. */
export interface PluginRuntimeView {
  /** How the plugin runs and where it stands. */
  status(manifest: PluginManifest, enabled: boolean): PluginRuntime;
  /**
   * Makes a change to stored plugins take effect: what it would run is loaded and probed
   * first, then it is stored and switched in at once. Rejects with
   * `PLUGBOARD_PLUGIN_START_FAILED`, storing nothing, when the plugin does not start.
   */
  apply<T>(change: RuntimeChange<T>): Promise<T>;
}

/** What install, rollback and uninstall work on: rows, bundle files, the registry cache. */
export interface PluginStore {
  readonly db: Kysely<Schema>;
  readonly registry: RegistryCache;
  /** Absolute data directory; bundles live under its `plugins/` folder. */
  readonly dataDir: string;
  readonly runtime: PluginRuntimeView;
}
