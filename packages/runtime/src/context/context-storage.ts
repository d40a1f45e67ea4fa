import type { JsonValue, PluginStorage } from "@plugboard/plugin-sdk";
import { ContextError } from "./context-errors.js";
import type { ContextLimits } from "./context-limits.js";
import { type ContextScope, callService, requireService, requireText } from "./context-scope.js";
import { copyJson } from "./json-copy.js";
import { requirePermission } from "./require-permission.js";
import type { StorageSetResult } from "./storage-quota.js";

function quotaExceeded(
  pluginId: string,
  key: string,
  outcome: Extract<StorageSetResult, { stored: false }>,
  limits: ContextLimits,
): ContextError {
  const [limit, amount, cap, unit] =
    outcome.exceeded === "maxKeys"
      ? (["maxStorageKeys", outcome.usage.keys, limits.maxStorageKeys, "keys"] as const)
      : (["maxStorageBytes", outcome.usage.bytes, limits.maxStorageBytes, "bytes"] as const);
  return new ContextError(
    "limit_exceeded",
    `storage.set: storing "${key.slice(0, 100)}" would bring plugin "${pluginId}" to ${amount} stored ${unit}; the limit (${limit}) is ${cap}`,
  );
}

/**
 * Key/value storage of this plugin only, under `storage:read` and `storage:write`, within
 * the `maxStorageKeys` and `maxStorageBytes` caps (each key and its value's JSON, in UTF-8).
 */
export function createContextStorage(scope: ContextScope): PluginStorage {
  const { grants, limits, services } = scope;
  const pluginId = grants.pluginId;
  const backend = (operation: string) =>
    requireService(services.storage, operation, "plugin storage");
  const key = (value: unknown, operation: string) =>
    requireText(value, `${operation}: the key`, limits.maxKeyLength);
  return Object.freeze({
    async get(name: unknown): Promise<JsonValue | undefined> {
      const operation = "storage.get";
      requirePermission(grants, "storage:read", operation);
      const checked = key(name, operation);
      const store = backend(operation);
      const value = await callService(operation, () => store.get(pluginId, checked));
      return value === undefined ? undefined : copyJson(value, Number.POSITIVE_INFINITY, operation);
    },
    async set(name: unknown, value: unknown): Promise<void> {
      const operation = "storage.set";
      requirePermission(grants, "storage:write", operation);
      const checked = key(name, operation);
      const copied = copyJson(value, limits.maxValueLength, `${operation}: the value`);
      const store = backend(operation);
      const quota = { maxKeys: limits.maxStorageKeys, maxBytes: limits.maxStorageBytes };
      const outcome = await callService(operation, () =>
        store.set(pluginId, checked, copied, quota),
      );
      if (!outcome.stored) throw quotaExceeded(pluginId, checked, outcome, limits);
    },
    async delete(name: unknown): Promise<boolean> {
      const operation = "storage.delete";
      requirePermission(grants, "storage:write", operation);
      const checked = key(name, operation);
      const store = backend(operation);
      return await callService(operation, () => store.delete(pluginId, checked));
    },
    async list(prefix: unknown = ""): Promise<string[]> {
      const operation = "storage.list";
      requirePermission(grants, "storage:read", operation);
      const checked =
        prefix === "" ? "" : requireText(prefix, `${operation}: the prefix`, limits.maxKeyLength);
      const store = backend(operation);
      const keys = await callService(operation, () =>
        store.list(pluginId, checked, limits.maxListKeys),
      );
      return keys.slice(0, limits.maxListKeys);
    },
  });
}
