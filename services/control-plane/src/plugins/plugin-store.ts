import type { PluginRuntime } from "@plugboard/contracts";
import type { PluginManifest } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";

/** What the plugin routes see of the running plugins: their status, and a way to resync. */
export interface PluginRuntimeView {
  /** How the plugin runs and where it stands. */
  status(manifest: PluginManifest, enabled: boolean): PluginRuntime;
  /** Brings what runs in line with the database; resolves once the swap is done. */
  sync(): Promise<void>;
}

/** What install, rollback and uninstall work on: rows, bundle files, the registry cache. */
export interface PluginStore {
  readonly db: Kysely<Schema>;
  readonly registry: RegistryCache;
  /** Absolute data directory; bundles live under its `plugins/` folder. */
  readonly dataDir: string;
  readonly runtime: PluginRuntimeView;
}
