import { AUTHENTICATED_ERRORS, defineRoute } from "./define-route.js";
import { EventListQuerySchema, EventListResponseSchema } from "./events.js";

export const listEventsRoute = defineRoute({
  method: "GET",
  path: "/v1/events",
  operationId: "listEvents",
  summary: "Page through the events received through webhooks, newest first",
  description:
    "Each event an ingress adapter accepted, once per provider event id, with whether the event bus has accepted it. Follow `next_cursor` for older events.",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", ...AUTHENTICATED_ERRORS],
  query: EventListQuerySchema,
  response: EventListResponseSchema,
});
