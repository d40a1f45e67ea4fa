import type { RouteHandlers } from "../http/mount-routes.js";
import type { PackageSources } from "../plugins/install-candidate.js";
import { installPlugin } from "../plugins/install-plugin.js";
import { rollbackPlugin, setPluginEnabled, uninstallPlugin } from "../plugins/plugin-lifecycle.js";
import type { PluginStore } from "../plugins/plugin-store.js";

/** POST /v1/plugins, PATCH and DELETE /v1/plugins/{id}, POST /v1/plugins/{id}/rollback. */
export function pluginInstallHandlers(
  store: PluginStore,
  sources: PackageSources,
): Pick<RouteHandlers, "installPlugin" | "updatePlugin" | "rollbackPlugin" | "uninstallPlugin"> {
  return {
    installPlugin: ({ body, principal }) => installPlugin(store, sources, body, principal.tokenId),
    updatePlugin: ({ params, body, principal }) =>
      setPluginEnabled(store, params.id, body.enabled, principal.tokenId, "enabled"),
    rollbackPlugin: ({ params, body, principal }) =>
      rollbackPlugin(store, params.id, body.fromVersion, principal.tokenId),
    uninstallPlugin: ({ params, principal }) =>
      uninstallPlugin(store, params.id, principal.tokenId),
  };
}
