import type { IngressAdapterManifest } from "@plugboard/plugin-sdk";
import type { RegistryCache } from "../registry/registry-cache.js";

/**
 * The enabled ingress adapter with `id`, or undefined when no plugin has the id, it is
 * another kind, or it is disabled. Looked up in a map built once per registry change.
 */
export async function findEnabledIngressAdapter(
  registry: RegistryCache,
  id: string,
): Promise<IngressAdapterManifest | undefined> {
  const adapters = await registry.derived("enabled-ingress-adapters", (entries) => {
    const byId = new Map<string, IngressAdapterManifest>();
    for (const entry of entries) {
      if (entry.kind !== "ingress_adapter" || !entry.installation.enabled) continue;
      const { installation: _installation, ...manifest } = entry;
      byId.set(entry.id, manifest);
    }
    return byId;
  });
  return adapters.get(id);
}
