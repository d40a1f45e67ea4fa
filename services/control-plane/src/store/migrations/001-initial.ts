import type { Kysely } from "kysely";
import type { DialectName } from "../database.js";

/** The first schema: plugins and versions, config, secrets, setup, tokens, audit, workers. */
export function initialMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("plugins")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("current_version", "text")
        .addColumn("enabled", "integer", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("plugin_versions")
        .addColumn("plugin_id", "text", (c) =>
          c.notNull().references("plugins.id").onDelete("cascade"),
        )
        .addColumn("version", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("manifest_json", "text", (c) => c.notNull())
        .addColumn("package_name", "text")
        .addColumn("integrity", "text")
        .addColumn("bundle_dir", "text")
        .addColumn("installed_at", "text", (c) => c.notNull())
        .addColumn("installed_by", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("plugin_versions_pk", ["plugin_id", "seq"])
        .execute();
      await db.schema
        .createTable("config_revisions")
        .addColumn("plugin_id", "text", (c) => c.notNull())
        .addColumn("revision", "integer", (c) => c.notNull())
        .addColumn("config_json", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("restored_from", "integer")
        .addPrimaryKeyConstraint("config_revisions_pk", ["plugin_id", "revision"])
        .execute();
      await db.schema
        .createTable("secrets")
        .addColumn("plugin_id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("sealed", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("secrets_pk", ["plugin_id", "key"])
        .execute();
      await db.schema
        .createTable("setup_progress")
        .addColumn("plugin_id", "text", (c) => c.notNull())
        .addColumn("step_id", "text", (c) => c.notNull())
        .addColumn("done", "integer", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("updated_by", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("setup_progress_pk", ["plugin_id", "step_id"])
        .execute();
      await db.schema
        .createTable("tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull().unique())
        .addColumn("scopes_json", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .execute();
      await db.schema
        .createTable("audit_log")
        .addColumn("id", dialect === "postgres" ? "serial" : "integer", (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("before_revision", "text")
        .addColumn("after_revision", "text")
        .addColumn("detail_json", "text")
        .execute();
      await db.schema
        .createTable("workers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("worker_pack_id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("worker_input_routes")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("worker_id", "text", (c) =>
          c.notNull().references("workers.id").onDelete("cascade"),
        )
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("label", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("worker_action_capabilities")
        .addColumn("worker_id", "text", (c) =>
          c.notNull().references("workers.id").onDelete("cascade"),
        )
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("boundary_mode", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("worker_action_capabilities_pk", ["worker_id", "kind"])
        .execute();
      await db.schema
        .createTable("idempotency_keys")
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("operation", "text", (c) => c.notNull())
        .addColumn("request_hash", "text", (c) => c.notNull())
        .addColumn("status", "integer", (c) => c.notNull())
        .addColumn("response_json", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("idempotency_keys_pk", ["operation", "key"])
        .execute();
    },
  };
}
