import type { RegistryEntry } from "@plugboard/contracts";
import { ApiError } from "../http/problem-handler.js";
import type { RegistryCache } from "../registry/registry-cache.js";

/** The registry entry of a plugin, from the cached registry; 404 when no plugin has the id. */
export async function findPlugin(registry: RegistryCache, id: string): Promise<RegistryEntry> {
  const plugin = (await registry.entries()).find((entry) => entry.id === id);
  if (plugin === undefined) throw new ApiError("PLUGBOARD_NOT_FOUND", `no plugin with id ${id}`);
  return plugin;
}
