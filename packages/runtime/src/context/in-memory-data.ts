import type { EntityRecord, JsonValue } from "@plugboard/plugin-sdk";
import type { PluginDataBackend } from "./context-services.js";

function matches(record: EntityRecord, filter: Readonly<Record<string, JsonValue>>): boolean {
  return Object.entries(filter).every(
    ([field, value]) => JSON.stringify(record[field]) === JSON.stringify(value),
  );
}

/**
 * Entity records in Maps, for tests and single-process hosts; records are kept as copies.
 * `query` matches top-level fields by JSON equality.
 */
export function createInMemoryData(): PluginDataBackend {
  const entities = new Map<string, Map<string, EntityRecord>>();
  const copy = (record: EntityRecord): EntityRecord => structuredClone(record);
  return {
    async query(_pluginId, entity, filter, limit) {
      const records = [...(entities.get(entity)?.values() ?? [])];
      return records
        .filter((record) => matches(record, filter))
        .slice(0, limit)
        .map(copy);
    },
    async get(_pluginId, entity, id) {
      const record = entities.get(entity)?.get(id);
      return record === undefined ? null : copy(record);
    },
    async put(_pluginId, entity, record) {
      let records = entities.get(entity);
      if (records === undefined) {
        records = new Map();
        entities.set(entity, records);
      }
      records.set(record.id, copy(record));
    },
  };
}
