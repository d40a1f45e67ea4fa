import {
  type PluginStorageBackend,
  type StorageUsage,
  storageWriteOutcome,
  storedEntryBytes,
} from "@plugboard/runtime";
import { type Kysely, sql } from "kysely";
import type { Database } from "../store/database.js";
import type { Schema } from "../store/schema.js";

// The first key of the two-key advisory lock that serialises one plugin's storage writes on
// PostgreSQL; the second is a hash of the plugin id. No other advisory lock uses it.
const STORAGE_LOCK_NAMESPACE = 0x70_6c_73_74;

/** An entry's bytes as `storedEntryBytes` counts them: key and value JSON, both UTF-8. */
const entryBytes = sql<number>`octet_length(${sql.ref("key")}) + octet_length(${sql.ref("value_json")})`;

/** The plugin's usage and, when `key` is given, the bytes of its entry if it has one. */
async function usageAround(
  db: Kysely<Schema>,
  pluginId: string,
  key: string | undefined,
): Promise<{ usage: StorageUsage; replacedBytes: number | undefined }> {
  const replaced =
    key === undefined
      ? sql<null>`null`
      : sql<number | null>`max(case when ${sql.ref("key")} = ${key} then ${entryBytes} end)`;
  const row = await db
    .selectFrom("plugin_storage")
    .select([
      sql<number>`count(*)`.as("keys"),
      sql<number>`coalesce(sum(${entryBytes}), 0)`.as("bytes"),
      replaced.as("replaced"),
    ])
    .where("plugin_id", "=", pluginId)
    .executeTakeFirstOrThrow();
  return {
    usage: { keys: row.keys, bytes: row.bytes },
    replacedBytes: row.replaced ?? undefined,
  };
}

/**
 * Plugin storage in the control plane's database, one row per plugin and key, values as
 * JSON text. Keys list in code-point order on both databases (PostgreSQL is told to compare
 * them bytewise, whatever the database's collation). A write reads the plugin's usage and
 * writes in one transaction, under a per-plugin advisory lock on PostgreSQL (SQLite runs one
 * transaction at a time), so concurrent writes cannot pass the quota together.
 */
export function createDatabasePluginStorage(database: Database): PluginStorageBackend {
  const { db } = database;
  const keyOrder =
    database.dialect === "postgres" ? sql`${sql.ref("key")} collate "C"` : sql.ref("key");
  return {
    async get(pluginId, key) {
      const row = await db
        .selectFrom("plugin_storage")
        .select("value_json")
        .where("plugin_id", "=", pluginId)
        .where("key", "=", key)
        .executeTakeFirst();
      return row === undefined ? undefined : JSON.parse(row.value_json);
    },
    async set(pluginId, key, value, quota) {
      const value_json = JSON.stringify(value);
      const updated_at = new Date().toISOString();
      const bytes = storedEntryBytes(key, value_json);
      return await db.transaction().execute(async (trx) => {
        if (database.dialect === "postgres") {
          await sql`select pg_advisory_xact_lock(${STORAGE_LOCK_NAMESPACE}, hashtext(${pluginId}))`.execute(
            trx,
          );
        }
        const { usage, replacedBytes } = await usageAround(trx, pluginId, key);
        const outcome = storageWriteOutcome(usage, replacedBytes, bytes, quota);
        if (!outcome.stored) return outcome;
        await trx
          .insertInto("plugin_storage")
          .values({ plugin_id: pluginId, key, value_json, updated_at })
          .onConflict((oc) =>
            oc.columns(["plugin_id", "key"]).doUpdateSet({ value_json, updated_at }),
          )
          .execute();
        return outcome;
      });
    },
    async delete(pluginId, key) {
      const result = await db
        .deleteFrom("plugin_storage")
        .where("plugin_id", "=", pluginId)
        .where("key", "=", key)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async list(pluginId, prefix, limit) {
      const rows = await db
        .selectFrom("plugin_storage")
        .select("key")
        .where("plugin_id", "=", pluginId)
        .where(sql<string>`substr(${sql.ref("key")}, 1, ${[...prefix].length})`, "=", prefix)
        .orderBy(keyOrder)
        .limit(limit)
        .execute();
      return rows.map((row) => row.key);
    },
    async usage(pluginId) {
      return (await usageAround(db, pluginId, undefined)).usage;
    },
  };
}
