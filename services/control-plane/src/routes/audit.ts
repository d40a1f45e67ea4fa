import type { Kysely } from "kysely";
import { decodeAuditCursor, listAudit } from "../audit/audit-log.js";
import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import type { Schema } from "../store/schema.js";

/** GET /v1/audit: newest first, paged by an opaque cursor, filtered by actor/action/target. */
export function auditHandlers(db: Kysely<Schema>): Pick<RouteHandlers, "listAudit"> {
  return {
    async listAudit({ query: { cursor, ...filter } }) {
      const before = cursor === undefined ? undefined : decodeAuditCursor(cursor);
      if (cursor !== undefined && before === undefined) {
        throw new ApiError("PLUGBOARD_BAD_REQUEST", "the query string is invalid", [
          {
            path: "cursor",
            message: "expected a next_cursor value from an earlier page",
            code: "invalid_cursor",
          },
        ]);
      }
      return listAudit(db, { before, ...filter });
    },
  };
}
