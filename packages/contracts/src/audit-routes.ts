import { AuditListQuerySchema, AuditListResponseSchema } from "./audit.js";
import { AUTHENTICATED_ERRORS, defineRoute } from "./define-route.js";

export const listAuditRoute = defineRoute({
  method: "GET",
  path: "/v1/audit",
  operationId: "listAudit",
  summary: "Page through the audit log, newest first",
  description:
    "Every mutation with its actor, action, target and revisions. Follow `next_cursor` for older entries.",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", ...AUTHENTICATED_ERRORS],
  query: AuditListQuerySchema,
  response: AuditListResponseSchema,
});
