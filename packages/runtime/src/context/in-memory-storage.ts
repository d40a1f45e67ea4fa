import type { JsonValue } from "@plugboard/plugin-sdk";
import type { PluginStorageBackend } from "./context-services.js";

/**
 * Plugin storage in a Map, for tests and single-process hosts: nothing survives the process.
 * Values are kept as JSON text, so what a caller gets back is always a fresh copy.
 */
export function createInMemoryStorage(): PluginStorageBackend {
  const plugins = new Map<string, Map<string, string>>();
  const of = (pluginId: string) => {
    let entries = plugins.get(pluginId);
    if (entries === undefined) {
      entries = new Map();
      plugins.set(pluginId, entries);
    }
    return entries;
  };
  return {
    async get(pluginId, key) {
      const text = plugins.get(pluginId)?.get(key);
      return text === undefined ? undefined : (JSON.parse(text) satisfies JsonValue);
    },
    async set(pluginId, key, value) {
      of(pluginId).set(key, JSON.stringify(value));
    },
    async delete(pluginId, key) {
      return plugins.get(pluginId)?.delete(key) ?? false;
    },
    async list(pluginId, prefix, limit) {
      const keys = [...(plugins.get(pluginId)?.keys() ?? [])].filter((key) =>
        key.startsWith(prefix),
      );
      return keys.sort().slice(0, limit);
    },
  };
}
