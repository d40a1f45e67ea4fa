import { AUTHENTICATED_ERRORS, BODY_ERRORS, defineRoute } from "./define-route.js";
import {
  PluginSetupSchema,
  SetupListResponseSchema,
  SetupMarkRequestSchema,
  SetupStepParamsSchema,
} from "./setup.js";

export const listSetupRoute = defineRoute({
  method: "GET",
  path: "/v1/setup",
  operationId: "listSetup",
  summary: "List every plugin's setup steps with their status",
  description:
    "A step with an evaluator is computed from what is stored (secrets, connections, workers, config); any other step is a checkbox an operator marks.",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [...AUTHENTICATED_ERRORS],
  response: SetupListResponseSchema,
});

export const markSetupStepRoute = defineRoute({
  method: "POST",
  path: "/v1/setup/{plugin}/{step}",
  operationId: "markSetupStep",
  summary: "Mark a manual setup step done or not done",
  description: "Answers 409 for a step an evaluator computes. Returns the plugin's whole setup.",
  scope: "admin:plugins:write",
  successStatus: 200,
  errors: [...BODY_ERRORS, "PLUGBOARD_NOT_FOUND", "PLUGBOARD_CONFLICT", ...AUTHENTICATED_ERRORS],
  params: SetupStepParamsSchema,
  body: SetupMarkRequestSchema,
  response: PluginSetupSchema,
});
