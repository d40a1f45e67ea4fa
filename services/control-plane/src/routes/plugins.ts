import type { RegistryEntry } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";

/** Category, then priority (unset last), then id: the order the console groups plugins in. */
function compareEntries(a: RegistryEntry, b: RegistryEntry): number {
  const category = (a.category ?? "other").localeCompare(b.category ?? "other");
  if (category !== 0) return category;
  const priority =
    (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER);
  return priority !== 0 ? priority : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** GET /v1/plugins (filtered, sorted) and GET /v1/plugins/{id} (with version history). */
export function pluginHandlers(
  db: Kysely<Schema>,
  registry: RegistryCache,
): Pick<RouteHandlers, "listPlugins" | "getPlugin"> {
  return {
    async listPlugins({ query }) {
      const plugins = (await registry.entries())
        .filter(
          (entry) =>
            (query.kind === undefined || entry.kind === query.kind) &&
            (query.category === undefined || entry.category === query.category) &&
            (query.stability === undefined || entry.stability === query.stability),
        )
        .sort(compareEntries);
      return { plugins };
    },

    async getPlugin({ params: { id } }) {
      const plugin = (await registry.entries()).find((entry) => entry.id === id);
      if (plugin === undefined)
        throw new ApiError("PLUGBOARD_NOT_FOUND", `no plugin with id ${id}`);
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
    },
  };
}
