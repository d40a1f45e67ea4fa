import type { RegistryEntry } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import type { SetupEvaluatorRegistry } from "../setup/setup-evaluators.js";
import type { Schema } from "../store/schema.js";
import {
  buildRegistryDocument,
  loadRegistryEntries,
  type RegistryDocument,
} from "./registry-document.js";

/**
 * The registry as last computed. Built on first use after a change, shared by the registry
 * and plugin routes; every mutation calls `invalidate`.
 */
export interface RegistryCache {
  entries(): Promise<readonly RegistryEntry[]>;
  document(): Promise<RegistryDocument>;
  /**
   * A value derived from the current registry, computed once per change: `compute` runs on
   * the first call with `key` after each `invalidate`.
   */
  derived<T>(key: string, compute: (entries: readonly RegistryEntry[]) => T): Promise<T>;
  invalidate(): void;
}

export function createRegistryCache(
  db: Kysely<Schema>,
  evaluators: SetupEvaluatorRegistry,
): RegistryCache {
  let current:
    | Promise<{
        entries: RegistryEntry[];
        document: RegistryDocument;
        derived: Map<string, unknown>;
      }>
    | undefined;
  const load = () => {
    current ??= loadRegistryEntries(db, evaluators)
      .then((entries) => ({
        entries,
        document: buildRegistryDocument(entries),
        derived: new Map<string, unknown>(),
      }))
      .catch((error: unknown) => {
        current = undefined;
        throw error;
      });
    return current;
  };
  return {
    entries: async () => (await load()).entries,
    document: async () => (await load()).document,
    async derived<T>(key: string, compute: (entries: readonly RegistryEntry[]) => T) {
      const loaded = await load();
      if (!loaded.derived.has(key)) loaded.derived.set(key, compute(loaded.entries));
      return loaded.derived.get(key) as T;
    },
    invalidate() {
      current = undefined;
    },
  };
}
