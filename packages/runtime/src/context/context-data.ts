import { type EntityRecord, EntityTypeSchema, type PluginData } from "@plugboard/plugin-sdk";
import { ContextError } from "./context-errors.js";
import {
  type ContextScope,
  callService,
  requireService,
  requireText,
  typeName,
} from "./context-scope.js";
import { copyJson } from "./json-copy.js";
import { requirePermission } from "./require-permission.js";

function entityType(value: unknown, operation: string): string {
  const parsed = EntityTypeSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ContextError(
    "invalid_argument",
    `${operation}: the entity type ${typeof value === "string" ? `"${value.slice(0, 100)}"` : typeName(value)} is invalid: ${parsed.error.issues[0]?.message ?? "expected a snake_case name"}`,
  );
}

function toRecord(value: unknown, maxLength: number, where: string): EntityRecord {
  const copied = copyJson(value, maxLength, where);
  if (copied === null || typeof copied !== "object" || Array.isArray(copied)) {
    throw new ContextError(
      "invalid_argument",
      `${where} must be an object, got ${typeName(value)}`,
    );
  }
  const { id } = copied;
  if (typeof id !== "string" || id.length === 0) {
    throw new ContextError("invalid_argument", `${where} must have a non-empty string id`);
  }
  return { ...copied, id };
}

/** Entity records of the types granted by `data:read:<entity>` and `data:write:<entity>`. */
export function createContextData(scope: ContextScope): PluginData {
  const { grants, limits, services } = scope;
  const pluginId = grants.pluginId;
  const backend = (operation: string) => requireService(services.data, operation, "data service");
  return Object.freeze({
    async query(entity: unknown, filter: unknown = {}): Promise<EntityRecord[]> {
      const operation = "data.query";
      const type = entityType(entity, operation);
      requirePermission(grants, `data:read:${type}`, operation);
      const copied = copyJson(filter, limits.maxValueLength, `${operation}: the filter`);
      if (copied === null || typeof copied !== "object" || Array.isArray(copied)) {
        throw new ContextError(
          "invalid_argument",
          `${operation}: the filter must be an object of field values, got ${typeName(filter)}`,
        );
      }
      const store = backend(operation);
      const records = await callService(operation, () =>
        store.query(pluginId, type, copied, limits.maxQueryRecords),
      );
      return records
        .slice(0, limits.maxQueryRecords)
        .map((record) => toRecord(record, Number.POSITIVE_INFINITY, operation));
    },
    async get(entity: unknown, id: unknown): Promise<EntityRecord | null> {
      const operation = "data.get";
      const type = entityType(entity, operation);
      requirePermission(grants, `data:read:${type}`, operation);
      const checked = requireText(id, `${operation}: the id`, limits.maxKeyLength);
      const store = backend(operation);
      const record = await callService(operation, () => store.get(pluginId, type, checked));
      return record === null ? null : toRecord(record, Number.POSITIVE_INFINITY, operation);
    },
    async put(entity: unknown, record: unknown): Promise<void> {
      const operation = "data.put";
      const type = entityType(entity, operation);
      requirePermission(grants, `data:write:${type}`, operation);
      const checked = toRecord(record, limits.maxValueLength, `${operation}: the record`);
      requireText(checked.id, `${operation}: the record's id`, limits.maxKeyLength);
      const store = backend(operation);
      await callService(operation, () => store.put(pluginId, type, checked));
    },
  });
}
