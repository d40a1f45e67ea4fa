import type { EntityRecord, JsonValue } from "@plugboard/plugin-sdk";
import type { PluginDataBackend } from "@plugboard/runtime";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Schema } from "../store/schema.js";

/** Rows read per round while filtering a query. */
const SCAN_PAGE = 500;

const RecordSchema = z.record(z.string(), z.json());

function toRecord(id: string, json: string): EntityRecord {
  // A stored row is outside input (an older version may have written it): parse it.
  return { ...RecordSchema.parse(JSON.parse(json)), id };
}

function matches(record: EntityRecord, filter: Readonly<Record<string, JsonValue>>): boolean {
  return Object.entries(filter).every(
    ([field, value]) =>
      Object.hasOwn(record, field) && JSON.stringify(record[field]) === JSON.stringify(value),
  );
}

/**
 * Entity records in the control plane's database, one row per entity type and id, shared by
 * every plugin granted the entity (the broker checks `data:read:` and `data:write:`). A query
 * matches top-level fields by JSON equality, reading records in id order until `limit` match.
 */
export function createDatabasePluginData(db: Kysely<Schema>): PluginDataBackend {
  return {
    async query(_pluginId, entity, filter, limit) {
      const found: EntityRecord[] = [];
      let after: string | undefined;
      for (;;) {
        let page = db
          .selectFrom("entity_records")
          .select(["id", "record_json"])
          .where("entity", "=", entity)
          .orderBy("id")
          .limit(SCAN_PAGE);
        if (after !== undefined) page = page.where("id", ">", after);
        const rows = await page.execute();
        for (const row of rows) {
          const record = toRecord(row.id, row.record_json);
          if (matches(record, filter)) found.push(record);
          if (found.length >= limit) return found;
        }
        if (rows.length < SCAN_PAGE) return found;
        after = rows.at(-1)?.id;
      }
    },
    async get(_pluginId, entity, id) {
      const row = await db
        .selectFrom("entity_records")
        .select(["id", "record_json"])
        .where("entity", "=", entity)
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : toRecord(row.id, row.record_json);
    },
    async put(pluginId, entity, record) {
      const record_json = JSON.stringify(record);
      const updated_at = new Date().toISOString();
      await db
        .insertInto("entity_records")
        .values({ entity, id: record.id, record_json, written_by: pluginId, updated_at })
        .onConflict((oc) =>
          oc
            .columns(["entity", "id"])
            .doUpdateSet({ record_json, written_by: pluginId, updated_at }),
        )
        .execute();
    },
  };
}
