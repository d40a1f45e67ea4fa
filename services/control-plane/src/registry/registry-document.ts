import { createHash } from "node:crypto";
import {
  groupEntriesByKind,
  type RegistryEntry,
  RegistryResponseSchema,
  toWire,
} from "@plugboard/contracts";
import { PLUGBOARD_API_VERSION } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import { loadCatalog } from "../plugins/plugin-catalog.js";
import type { SetupEvaluatorRegistry } from "../setup/setup-evaluators.js";
import { loadSetupProgress } from "../setup/setup-progress.js";
import type { Schema } from "../store/schema.js";

/** The registry response, validated once and serialised once per change. */
export interface RegistryDocument {
  readonly body: string;
  readonly etag: string;
}

/**
 * Every plugin as a registry entry: its manifest plus installation and setup progress, with
 * evaluated steps computed as `GET /v1/setup` computes them.
 */
export async function loadRegistryEntries(
  db: Kysely<Schema>,
  evaluators: SetupEvaluatorRegistry,
): Promise<RegistryEntry[]> {
  const catalog = await loadCatalog(db);
  const setup = await loadSetupProgress(db, catalog, evaluators);
  const done = new Map(setup.map((plugin) => [plugin.pluginId, plugin.completed]));
  return catalog.map(
    (entry): RegistryEntry => ({
      ...entry.manifest,
      installation: {
        installedVersion: entry.installedVersion,
        enabled: entry.enabled,
        setup: {
          completed: Math.min(
            done.get(entry.manifest.id) ?? 0,
            entry.manifest.setupSteps?.length ?? 0,
          ),
          total: entry.manifest.setupSteps?.length ?? 0,
        },
      },
    }),
  );
}

/** Checks the registry against the contract and serialises it with its ETag. */
export function buildRegistryDocument(entries: readonly RegistryEntry[]): RegistryDocument {
  const response = RegistryResponseSchema.parse({
    apiVersion: PLUGBOARD_API_VERSION,
    generatedAt: new Date().toISOString(),
    kinds: groupEntriesByKind(entries),
  });
  const body = JSON.stringify(toWire(RegistryResponseSchema, response));
  return { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}
