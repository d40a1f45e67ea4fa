import type { RouteHandlers } from "../http/mount-routes.js";
import { checkCandidate } from "../plugins/check-candidate.js";
import type { RegistryCache } from "../registry/registry-cache.js";

/** POST /v1/plugins/validate: a manifest in, its issues and registry problems out. */
export function validateHandlers(registry: RegistryCache): Pick<RouteHandlers, "validateManifest"> {
  return {
    validateManifest: async ({ body }) => checkCandidate(body.manifest, await registry.entries()),
  };
}
