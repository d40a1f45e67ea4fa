import type { Kysely } from "kysely";
import type { DialectName } from "../database.js";

/**
 * Channel jobs: one row per message, fax or call sent through a channel, with the manifest
 * and config it was sent with, so a later refresh asks the same provider the same way.
 */
export function channelJobsMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("channel_jobs")
        .addColumn("seq", dialect === "postgres" ? "serial" : "integer", (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("id", "text", (c) => c.notNull().unique())
        .addColumn("plugin_id", "text", (c) => c.notNull())
        .addColumn("operation", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("input_json", "text", (c) => c.notNull())
        .addColumn("provider_job_id", "text")
        .addColumn("provider_status", "text")
        .addColumn("manifest_json", "text", (c) => c.notNull())
        .addColumn("manifest_version", "text", (c) => c.notNull())
        .addColumn("config_json", "text", (c) => c.notNull())
        .addColumn("config_revision", "integer", (c) => c.notNull())
        .addColumn("last_error_json", "text")
        .addColumn("refreshes", "integer", (c) => c.notNull())
        .addColumn("request_key", "text")
        .addColumn("request_digest", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("last_refreshed_at", "text")
        .execute();
      // Several NULL request keys are allowed on both dialects; a repeated key is one job.
      await db.schema
        .createIndex("channel_jobs_request_key")
        .on("channel_jobs")
        .columns(["plugin_id", "request_key"])
        .unique()
        .execute();
    },
  };
}
