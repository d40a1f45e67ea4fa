import type { OrderedHook } from "@plugboard/contracts";
import { HOOK_RINGS, type HookManifest, orderHooks } from "@plugboard/plugin-sdk";
import type { RouteHandlers } from "../http/mount-routes.js";
import type { RegistryCache } from "../registry/registry-cache.js";

const toOrderedHook = (hook: HookManifest): OrderedHook => ({
  id: hook.id,
  version: hook.version,
  priority: hook.priority,
  timeoutMs: hook.timeoutMs,
  failMode: hook.failMode,
  before: hook.before ?? [],
  after: hook.after ?? [],
});

/** GET /v1/hooks: the enabled hooks of each ring in the order they run. */
export function hookHandlers(registry: RegistryCache): Pick<RouteHandlers, "listHooks"> {
  return {
    async listHooks() {
      const { rings } = await registry.derived("hooks", (entries) =>
        orderHooks(
          entries.flatMap((entry) =>
            entry.kind === "hook" && entry.installation.enabled ? [entry] : [],
          ),
        ),
      );
      return {
        rings: Object.fromEntries(
          HOOK_RINGS.map((ring) => [ring, rings[ring].map(toOrderedHook)]),
        ) as Record<(typeof HOOK_RINGS)[number], OrderedHook[]>,
      };
    },
  };
}
