import type { Kysely } from "kysely";
import type { RouteHandlers } from "../http/mount-routes.js";
import { pageBefore } from "../http/page-cursor.js";
import { listIngressEvents } from "../ingress/ingress-event-store.js";
import type { IngressEventWriter } from "../ingress/ingress-event-writer.js";
import type { Schema } from "../store/schema.js";

/**
 * GET /v1/events: received events, newest first, paged by an opaque cursor. Writes this
 * process has queued land first, so an event acknowledged and published here shows as
 * published.
 */
export function eventHandlers(
  db: Kysely<Schema>,
  writer: IngressEventWriter,
): Pick<RouteHandlers, "listEvents"> {
  return {
    async listEvents({ query: { cursor, ...filter } }) {
      const before = pageBefore(cursor);
      await writer.drain();
      return listIngressEvents(db, { before, ...filter });
    },
  };
}
