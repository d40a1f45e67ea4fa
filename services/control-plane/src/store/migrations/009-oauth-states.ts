import type { Kysely } from "kysely";

/**
 * OAuth states the host issued for `oauth_callback` adapters: the digest of each state (never
 * the state), the adapter it is bound to, its expiry, and when a callback used it up.
 */
export function oauthStatesMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("oauth_states")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("plugin_id", "text", (c) => c.notNull())
        .addColumn("state_digest", "text", (c) => c.notNull().unique())
        .addColumn("issued_by", "text", (c) => c.notNull())
        .addColumn("issued_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("used_at", "text")
        .execute();
    },
  };
}
