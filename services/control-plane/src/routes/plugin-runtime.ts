import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import type { PluginHost } from "../plugin-host/plugin-host.js";
import { loadPluginDetail } from "../plugins/plugin-detail.js";
import { setPluginEnabled } from "../plugins/plugin-lifecycle.js";
import type { PluginStore } from "../plugins/plugin-store.js";

function notFound(id: string): never {
  const message = `no plugin with id ${id}`;
  throw new ApiError("PLUGBOARD_NOT_FOUND", message, [{ path: "id", message, code: "not_found" }]);
}

/**
 * GET /v1/plugins/{id}/health, and POST /v1/plugins/{id}/reload, /enable and /disable: each
 * change is a swap of the running plugins that loads and probes new instances first, and
 * is refused (`PLUGBOARD_PLUGIN_START_FAILED`) when the plugin's new instance does not start.
 */
export function pluginRuntimeHandlers(
  store: PluginStore,
  host: Pick<PluginHost, "reload">,
): Pick<RouteHandlers, "getPluginHealth" | "reloadPlugin" | "enablePlugin" | "disablePlugin"> {
  return {
    async getPluginHealth({ params: { id } }) {
      const detail = (await loadPluginDetail(store, id)) ?? notFound(id);
      return { pluginId: id, runtime: detail.runtime };
    },

    async reloadPlugin({ params: { id } }) {
      if ((await loadPluginDetail(store, id)) === undefined) notFound(id);
      const result = await host.reload(id);
      if (!result.ok) {
        throw new ApiError("PLUGBOARD_CONFLICT", `${id} was not reloaded: ${result.message}`, [
          { path: "id", code: result.reason, message: result.message },
        ]);
      }
      return (await loadPluginDetail(store, id)) ?? notFound(id);
    },

    enablePlugin: ({ params: { id }, principal }) =>
      setPluginEnabled(store, id, true, principal.tokenId, "id"),

    disablePlugin: ({ params: { id }, principal }) =>
      setPluginEnabled(store, id, false, principal.tokenId, "id"),
  };
}
