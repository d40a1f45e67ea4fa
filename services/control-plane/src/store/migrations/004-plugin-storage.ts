import type { Kysely } from "kysely";

/** Plugin-scoped key/value storage: what a plugin's `storage` context reads and writes. */
export function pluginStorageMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("plugin_storage")
        .addColumn("plugin_id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("value_json", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("plugin_storage_pk", ["plugin_id", "key"])
        .execute();
    },
  };
}
