import type { Kysely } from "kysely";

/**
 * Who last queued an action again with an explicit retry, why and when, on the action
 * itself; null until the first retry. The audit log keeps every retry.
 */
export function actionRetriesMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("actions").addColumn("retried_by", "text").execute();
      await db.schema.alterTable("actions").addColumn("retry_reason", "text").execute();
      await db.schema.alterTable("actions").addColumn("retried_at", "text").execute();
      await db.schema
        .alterTable("actions")
        .addColumn("retry_count", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
