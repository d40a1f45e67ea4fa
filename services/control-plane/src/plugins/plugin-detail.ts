import type { PluginDetailResponse } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";

/**
 * One plugin as the registry shows it, with its versions newest first. A first-party
 * plugin has no version rows: its shipped version is its history.
 */
export async function loadPluginDetail(
  db: Kysely<Schema>,
  registry: RegistryCache,
  id: string,
): Promise<PluginDetailResponse | undefined> {
  const plugin = (await registry.entries()).find((entry) => entry.id === id);
  if (plugin === undefined) return undefined;
  const row = await db
    .selectFrom("plugins")
    .select(["created_at"])
    .where("id", "=", id)
    .executeTakeFirst();
  const history = await db
    .selectFrom("plugin_versions")
    .select(["version", "installed_at"])
    .where("plugin_id", "=", id)
    .orderBy("seq", "desc")
    .execute();
  const versions =
    history.length > 0
      ? history.map((version, index) => ({
          version: version.version,
          registeredAt: version.installed_at,
          installed: index === 0 && version.version === plugin.installation.installedVersion,
        }))
      : [
          {
            version: plugin.version,
            registeredAt: row?.created_at ?? new Date().toISOString(),
            installed: true,
          },
        ];
  return { plugin, versions };
}
