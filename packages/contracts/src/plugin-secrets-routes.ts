import { AUTHENTICATED_ERRORS, BODY_ERRORS, defineRoute } from "./define-route.js";
import { PluginSecretsResponseSchema, SecretsWriteRequestSchema } from "./plugin-secrets.js";
import { PluginParamsSchema } from "./registry.js";

export const getPluginSecretsRoute = defineRoute({
  method: "GET",
  path: "/v1/plugins/{id}/secrets",
  operationId: "getPluginSecrets",
  summary: "Show which of a plugin's secret keys are set",
  description: "Never returns a value: only whether each key is set and when it was stored.",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: PluginParamsSchema,
  response: PluginSecretsResponseSchema,
});

export const updatePluginSecretsRoute = defineRoute({
  method: "PUT",
  path: "/v1/plugins/{id}/secrets",
  operationId: "updatePluginSecrets",
  summary: "Store or delete a plugin's secret values",
  description:
    "Accepts only the manifest's secretKeys. A string stores the value encrypted, null deletes it, and keys not named keep what is stored. The response says which keys are set, never a value.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED_ERRORS],
  params: PluginParamsSchema,
  body: SecretsWriteRequestSchema,
  response: PluginSecretsResponseSchema,
});
