import type { JsonValue } from "@plugboard/plugin-sdk";
import type { PluginStorageBackend } from "./context-services.js";
import { storageWriteOutcome, storedEntryBytes } from "./storage-quota.js";

interface PluginEntries {
  /** Values as JSON text, by key. */
  readonly values: Map<string, string>;
  /** The bytes of every entry, kept up to date on each write. */
  bytes: number;
}

/**
 * Plugin storage in a Map, for tests and single-process hosts: nothing survives the process.
 * Values are kept as JSON text, so what a caller gets back is always a fresh copy.
 */
export function createInMemoryStorage(): PluginStorageBackend {
  const plugins = new Map<string, PluginEntries>();
  const of = (pluginId: string): PluginEntries => {
    let entries = plugins.get(pluginId);
    if (entries === undefined) {
      entries = { values: new Map(), bytes: 0 };
      plugins.set(pluginId, entries);
    }
    return entries;
  };
  const entryBytes = (key: string, text: string | undefined) =>
    text === undefined ? undefined : storedEntryBytes(key, text);
  return {
    async get(pluginId, key) {
      const text = plugins.get(pluginId)?.values.get(key);
      return text === undefined ? undefined : (JSON.parse(text) satisfies JsonValue);
    },
    async set(pluginId, key, value, quota) {
      const entries = of(pluginId);
      const text = JSON.stringify(value);
      const outcome = storageWriteOutcome(
        { keys: entries.values.size, bytes: entries.bytes },
        entryBytes(key, entries.values.get(key)),
        storedEntryBytes(key, text),
        quota,
      );
      if (outcome.stored) {
        entries.values.set(key, text);
        entries.bytes = outcome.usage.bytes;
      }
      return outcome;
    },
    async delete(pluginId, key) {
      const entries = plugins.get(pluginId);
      const removed = entryBytes(key, entries?.values.get(key));
      if (entries === undefined || removed === undefined) return false;
      entries.values.delete(key);
      entries.bytes -= removed;
      return true;
    },
    async list(pluginId, prefix, limit) {
      const keys = [...(plugins.get(pluginId)?.values.keys() ?? [])].filter((key) =>
        key.startsWith(prefix),
      );
      return keys.sort().slice(0, limit);
    },
    async usage(pluginId) {
      const entries = plugins.get(pluginId);
      return { keys: entries?.values.size ?? 0, bytes: entries?.bytes ?? 0 };
    },
  };
}
