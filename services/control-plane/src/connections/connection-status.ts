import type { Kysely } from "kysely";
import type { CatalogEntry } from "../plugins/plugin-catalog.js";
import type { Schema } from "../store/schema.js";

/**
 * The provider keys (`gmail`, `smtp_relay`) with a working connection: some enabled
 * connection-provider plugin for that key has every one of its `secretKeys` stored.
 */
export async function connectedProviders(
  db: Kysely<Schema>,
  catalog: readonly CatalogEntry[],
): Promise<Set<string>> {
  const stored = await db.selectFrom("secrets").select(["plugin_id", "key"]).execute();
  const keysByPlugin = new Map<string, Set<string>>();
  for (const row of stored) {
    const keys = keysByPlugin.get(row.plugin_id) ?? new Set<string>();
    keys.add(row.key);
    keysByPlugin.set(row.plugin_id, keys);
  }
  const connected = new Set<string>();
  for (const { manifest, enabled } of catalog) {
    if (manifest.kind !== "connection_provider" || !enabled) continue;
    const have = keysByPlugin.get(manifest.id) ?? new Set<string>();
    if (manifest.secretKeys.every((key) => have.has(key))) connected.add(manifest.provider);
  }
  return connected;
}
