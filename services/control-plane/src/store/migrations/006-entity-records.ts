import type { Kysely } from "kysely";

/** Entity records plugins share through `ctx.data`, by entity type and id. */
export function entityRecordsMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("entity_records")
        .addColumn("entity", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("record_json", "text", (c) => c.notNull())
        .addColumn("written_by", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("entity_records_pk", ["entity", "id"])
        .execute();
    },
  };
}
