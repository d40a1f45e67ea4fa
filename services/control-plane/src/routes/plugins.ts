import { PluginListResponseSchema, type RegistryEntry, toWire } from "@plugboard/contracts";
import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import { loadPluginDetail } from "../plugins/plugin-detail.js";
import type { PluginStore } from "../plugins/plugin-store.js";

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
  store: Pick<PluginStore, "db" | "registry" | "runtime">,
): Pick<RouteHandlers, "listPlugins" | "getPlugin"> {
  const { registry } = store;
  return {
    async listPlugins({ query, reply }) {
      // One serialised list per filter combination (a closed set) and registry change.
      const key = `plugins:${query.kind ?? ""}:${query.category ?? ""}:${query.stability ?? ""}`;
      const body = await registry.derived(key, (entries) => {
        const plugins = entries
          .filter(
            (entry) =>
              (query.kind === undefined || entry.kind === query.kind) &&
              (query.category === undefined || entry.category === query.category) &&
              (query.stability === undefined || entry.stability === query.stability),
          )
          .sort(compareEntries);
        return JSON.stringify(toWire(PluginListResponseSchema, { plugins }));
      });
      return reply.type("application/json").send(body);
    },

    async getPlugin({ params: { id } }) {
      const detail = await loadPluginDetail(store, id);
      if (detail === undefined)
        throw new ApiError("PLUGBOARD_NOT_FOUND", `no plugin with id ${id}`, [
          { path: "id", message: `no plugin with id ${id}`, code: "not_found" },
        ]);
      return detail;
    },
  };
}
