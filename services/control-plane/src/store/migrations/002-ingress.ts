import { type Kysely, sql } from "kysely";
import type { DialectName } from "../database.js";

/**
 * Events received through webhooks. The unique (plugin, provider event id) pair is what makes
 * a redelivered event a duplicate, even between concurrent requests or replicas.
 */
export function ingressMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("ingress_events")
        // Insertion order, for cursor pages and for publishing pending events oldest first.
        .addColumn("seq", dialect === "postgres" ? "serial" : "integer", (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("id", "text", (c) => c.notNull().unique())
        .addColumn("plugin_id", "text", (c) => c.notNull())
        .addColumn("provider_event_id", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addColumn("correlation_id", "text", (c) => c.notNull())
        .addColumn("data_json", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("published_at", "text")
        .addUniqueConstraint("ingress_events_provider_event_unique", [
          "plugin_id",
          "provider_event_id",
        ])
        .execute();
      // Only pending events are looked up by status, at start; the index holds just those.
      await db.schema
        .createIndex("ingress_events_pending_seq")
        .on("ingress_events")
        .column("seq")
        .where(sql.ref("status"), "=", "pending")
        .execute();
      await db.schema
        .createIndex("ingress_events_plugin_seq")
        .on("ingress_events")
        .columns(["plugin_id", "seq"])
        .execute();
    },
  };
}
