import type { RegistryEntry } from "@plugboard/contracts";
import type { Kysely } from "kysely";
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
  invalidate(): void;
}

export function createRegistryCache(db: Kysely<Schema>): RegistryCache {
  let current: Promise<{ entries: RegistryEntry[]; document: RegistryDocument }> | undefined;
  const load = () => {
    current ??= loadRegistryEntries(db)
      .then((entries) => ({ entries, document: buildRegistryDocument(entries) }))
      .catch((error: unknown) => {
        current = undefined;
        throw error;
      });
    return current;
  };
  return {
    entries: async () => (await load()).entries,
    document: async () => (await load()).document,
    invalidate() {
      current = undefined;
    },
  };
}
