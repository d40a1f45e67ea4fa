import { AUTHENTICATED_ERRORS, BODY_ERRORS, defineRoute } from "./define-route.js";
import { OAuthStateIssueRequestSchema, OAuthStateSchema } from "./oauth-states.js";
import { PluginParamsSchema } from "./registry.js";

export const issueOAuthStateRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins/{id}/oauth-states",
  operationId: "issueOAuthState",
  summary: "Issue an OAuth state for an ingress adapter that receives OAuth callbacks",
  description:
    "The adapter must be an enabled ingress adapter whose authentication is `oauth_callback` (409 otherwise). The answer carries the state once, with the callback URL and expiry; the callback is accepted once with it. Audited as `oauth_state.issue`, without the state.",
  scope: "admin:plugins:write",
  successStatus: 201,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", "PLUGBOARD_CONFLICT", ...AUTHENTICATED_ERRORS],
  params: PluginParamsSchema,
  body: OAuthStateIssueRequestSchema,
  response: OAuthStateSchema,
});
