import type { PluginDetailResponse } from "@plugboard/contracts";
import type { PluginStore } from "./plugin-store.js";

/**
 * One plugin as the registry shows it, with its versions newest first. A first-party
 * plugin has no version rows: its shipped version is its history.
 */
export async function loadPluginDetail(
  store: Pick<PluginStore, "db" | "registry" | "runtime">,
  id: string,
): Promise<PluginDetailResponse | undefined> {
  const { db, registry } = store;
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
  const { installation: _installation, ...manifest } = plugin;
  return { plugin, versions, runtime: store.runtime.status(manifest, plugin.installation.enabled) };
}
