import type { PluginStorageBackend } from "@plugboard/runtime";
import { sql } from "kysely";
import type { Database } from "../store/database.js";

/**
 * Plugin storage in the control plane's database, one row per plugin and key, values as
 * JSON text. Keys list in code-point order on both databases (PostgreSQL is told to compare
 * them bytewise, whatever the database's collation).
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
    async set(pluginId, key, value) {
      const value_json = JSON.stringify(value);
      const updated_at = new Date().toISOString();
      await db
        .insertInto("plugin_storage")
        .values({ plugin_id: pluginId, key, value_json, updated_at })
        .onConflict((oc) =>
          oc.columns(["plugin_id", "key"]).doUpdateSet({ value_json, updated_at }),
        )
        .execute();
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
  };
}
