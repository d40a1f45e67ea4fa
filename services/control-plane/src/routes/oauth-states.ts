import { OAUTH_STATE_TTL_SECONDS } from "@plugboard/contracts";
import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import { issueOAuthState } from "../ingress/oauth-states.js";
import { findPlugin } from "../plugins/find-plugin.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";

/**
 * The origin a provider reaches this server at: the configured public URL, or else the
 * scheme and host the caller used.
 */
function originOf(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}

/**
 * POST /v1/plugins/{id}/oauth-states: issues a state for an enabled ingress adapter whose
 * authentication is `oauth_callback`, with the URL the provider is to redirect back to.
 */
export function oauthStateHandlers(
  db: Kysely<Schema>,
  registry: RegistryCache,
  publicUrl: string | undefined,
): Pick<RouteHandlers, "issueOAuthState"> {
  return {
    async issueOAuthState({ params: { id }, body, principal, request }) {
      const plugin = await findPlugin(registry, id);
      const usable =
        plugin.kind === "ingress_adapter" &&
        plugin.authentication === "oauth_callback" &&
        plugin.installation.enabled;
      if (!usable) {
        const found =
          plugin.kind !== "ingress_adapter"
            ? `a ${plugin.kind}`
            : plugin.authentication !== "oauth_callback"
              ? `an ingress adapter with ${plugin.authentication} authentication`
              : "a disabled oauth_callback adapter";
        throw new ApiError("PLUGBOARD_CONFLICT", `${id} receives no OAuth callbacks`, [
          {
            path: "id",
            code: "not_oauth_callback",
            message: `expected an enabled ingress adapter whose authentication is oauth_callback, found ${found}`,
          },
        ]);
      }
      const issued = await issueOAuthState(db, {
        pluginId: id,
        issuedBy: principal.tokenId,
        ttlSeconds: body.ttlSeconds ?? OAUTH_STATE_TTL_SECONDS.default,
        now: new Date(),
      });
      return {
        id: issued.id,
        pluginId: id,
        state: issued.state,
        callbackUrl: `${originOf(request, publicUrl)}/webhooks/${id}`,
        expiresAt: issued.expiresAt,
      };
    },
  };
}
