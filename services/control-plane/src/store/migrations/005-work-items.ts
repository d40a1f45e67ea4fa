import { type Kysely, sql } from "kysely";
import type { DialectName } from "../database.js";

/**
 * Worker output: the work items a worker made from a route event, one run row per worker and
 * event (which makes a redelivered event change nothing), and when each received event was
 * handed to every worker whose routes match it.
 */
export function workItemsMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("work_items")
        .addColumn("seq", dialect === "postgres" ? "serial" : "integer", (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("id", "text", (c) => c.notNull().unique())
        .addColumn("worker_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("body_json", "text", (c) => c.notNull())
        .addColumn("source_event_id", "text", (c) => c.notNull())
        .addColumn("route_kind", "text", (c) => c.notNull())
        .addColumn("correlation_id", "text", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("action_ids_json", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("work_items_source")
        .on("work_items")
        .columns(["worker_id", "source_event_id", "position"])
        .unique()
        .execute();
      await db.schema
        .createTable("worker_runs")
        .addColumn("seq", dialect === "postgres" ? "serial" : "integer", (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("worker_id", "text", (c) => c.notNull())
        .addColumn("event_id", "text", (c) => c.notNull())
        .addColumn("route_kind", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("output_json", "text")
        .addColumn("work_item_ids_json", "text", (c) => c.notNull())
        .addColumn("action_ids_json", "text", (c) => c.notNull())
        .addColumn("detail", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("worker_runs_event")
        .on("worker_runs")
        .columns(["worker_id", "event_id"])
        .unique()
        .execute();
      await db.schema.alterTable("ingress_events").addColumn("dispatched_at", "text").execute();
      // Published events not yet handed to their workers are looked up at start.
      await db.schema
        .createIndex("ingress_events_undispatched_seq")
        .on("ingress_events")
        .column("seq")
        .where(sql.ref("dispatched_at"), "is", null)
        .execute();
    },
  };
}
