import type { Kysely } from "kysely";
import type { DialectName } from "../database.js";

/**
 * Governed actions: one row per action request with its review and execution state, and one
 * row per execution attempt, written when the attempt is claimed (before anything is sent)
 * and completed with its outcome afterwards.
 */
export function actionsMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("actions")
        // Insertion order, for cursor pages; the public id is the uuid.
        .addColumn("seq", dialect === "postgres" ? "serial" : "integer", (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("id", "text", (c) => c.notNull().unique())
        .addColumn("worker_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("destination_provider", "text")
        .addColumn("executor_plugin_id", "text")
        .addColumn("boundary_mode", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("payload_json", "text", (c) => c.notNull())
        .addColumn("requested_by", "text", (c) => c.notNull())
        .addColumn("request_key", "text")
        .addColumn("request_digest", "text", (c) => c.notNull())
        .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
        .addColumn("review_decision", "text")
        .addColumn("reviewed_by", "text")
        .addColumn("review_reason", "text")
        .addColumn("reviewed_at", "text")
        .addColumn("attempt_count", "integer", (c) => c.notNull())
        .addColumn("automatic_retries", "integer", (c) => c.notNull())
        .addColumn("next_attempt_at", "text")
        .addColumn("lease_owner", "text")
        .addColumn("lease_expires_at", "text")
        .addColumn("result_json", "text")
        .addColumn("last_error_json", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      // Several NULL request keys are allowed on both dialects; a repeated key is one request.
      await db.schema
        .createIndex("actions_request_key")
        .on("actions")
        .columns(["worker_id", "request_key"])
        .unique()
        .execute();
      await db.schema
        .createIndex("actions_due")
        .on("actions")
        .columns(["status", "next_attempt_at"])
        .execute();
      await db.schema
        .createIndex("actions_leases")
        .on("actions")
        .columns(["status", "lease_expires_at"])
        .execute();
      await db.schema
        .createTable("action_attempts")
        .addColumn("action_id", "text", (c) =>
          c.notNull().references("actions.id").onDelete("cascade"),
        )
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("idempotency_key", "text", (c) => c.notNull())
        .addColumn("executor", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("claimed_at", "text", (c) => c.notNull())
        .addColumn("lease_expires_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .addColumn("result_json", "text")
        .addColumn("error_json", "text")
        .addPrimaryKeyConstraint("action_attempts_pk", ["action_id", "attempt"])
        .execute();
    },
  };
}
