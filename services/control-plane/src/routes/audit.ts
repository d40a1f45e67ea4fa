import type { Kysely } from "kysely";
import { listAudit } from "../audit/audit-log.js";
import type { RouteHandlers } from "../http/mount-routes.js";
import { pageBefore } from "../http/page-cursor.js";
import type { Schema } from "../store/schema.js";

/** GET /v1/audit: newest first, paged by an opaque cursor, filtered by actor/action/target. */
export function auditHandlers(db: Kysely<Schema>): Pick<RouteHandlers, "listAudit"> {
  return {
    async listAudit({ query: { cursor, ...filter } }) {
      const before = pageBefore(cursor);
      return listAudit(db, { before, ...filter });
    },
  };
}
