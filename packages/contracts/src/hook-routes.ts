import { AUTHENTICATED_ERRORS, defineRoute } from "./define-route.js";
import { HookOrderResponseSchema } from "./hooks.js";

export const listHooksRoute = defineRoute({
  method: "GET",
  path: "/v1/hooks",
  operationId: "listHooks",
  summary: "Show the order in which the running pipeline calls the hooks of each ring",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [...AUTHENTICATED_ERRORS],
  response: HookOrderResponseSchema,
});
