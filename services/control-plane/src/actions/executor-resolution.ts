import type { Issue } from "@plugboard/contracts";
import type { ActionExecutorManifest } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import type { CatalogEntry } from "../plugins/plugin-catalog.js";
import type { SecretVault } from "../secrets/secret-vault.js";
import type { Schema } from "../store/schema.js";
import type { ActionExecutorImplementation } from "./action-executor-implementation.js";

/** The executors whose code this host runs, by the id of their manifest. */
export type ExecutorImplementations = ReadonlyMap<string, ActionExecutorImplementation>;

export function executorImplementations(
  list: readonly ActionExecutorImplementation[],
): ExecutorImplementations {
  return new Map(list.map((implementation) => [implementation.pluginId, implementation]));
}

export interface ResolvedExecutor {
  readonly manifest: ActionExecutorManifest;
  readonly implementation: ActionExecutorImplementation;
  readonly destinationProvider: string;
}

/**
 * The enabled executor, with code on this host, that performs `kind` through
 * `destinationProvider`; without a provider, the only executor and provider that fit. Returns
 * the problem, with the request field it concerns, when there is none or the choice is open.
 */
export function resolveExecutor(
  catalog: readonly CatalogEntry[],
  implementations: ExecutorImplementations,
  request: { readonly kind: string; readonly destinationProvider?: string | undefined },
): { readonly resolved: ResolvedExecutor } | { readonly problem: Issue } {
  const candidates: ResolvedExecutor[] = [];
  for (const { manifest, enabled } of catalog) {
    if (manifest.kind !== "action_executor" || !enabled) continue;
    if (manifest.actionKind !== request.kind) continue;
    const implementation = implementations.get(manifest.id);
    if (implementation === undefined) continue;
    for (const provider of manifest.destinationProviders) {
      if (request.destinationProvider === undefined || request.destinationProvider === provider) {
        candidates.push({ manifest, implementation, destinationProvider: provider });
      }
    }
  }
  const [first] = candidates.sort(
    (a, b) => (a.manifest.priority ?? 0) - (b.manifest.priority ?? 0),
  );
  if (first === undefined) {
    return request.destinationProvider === undefined
      ? {
          problem: {
            path: "kind",
            message: `no enabled action executor on this host performs ${request.kind}`,
            code: "no_executor",
          },
        }
      : {
          problem: {
            path: "destination_provider",
            message: `no enabled action executor on this host performs ${request.kind} through ${request.destinationProvider}`,
            code: "no_executor",
          },
        };
  }
  const providers = new Set(candidates.map((candidate) => candidate.destinationProvider));
  if (request.destinationProvider === undefined && providers.size > 1) {
    return {
      problem: {
        path: "destination_provider",
        message: `expected one of ${[...providers].sort().join(", ")}: several providers perform ${request.kind}`,
        code: "destination_required",
      },
    };
  }
  return { resolved: first };
}

/**
 * The secret values of the enabled connection for `provider`, opened from the vault: the
 * first connection-provider plugin for it with every key in `keys` stored. Returns the missing
 * keys of the closest one when none has them all.
 */
export async function loadConnectionSecrets(
  db: Kysely<Schema>,
  vault: SecretVault,
  catalog: readonly CatalogEntry[],
  provider: string,
  keys: readonly string[],
): Promise<
  { readonly secrets: ReadonlyMap<string, string> } | { readonly missing: readonly string[] }
> {
  let missing: readonly string[] = keys;
  for (const { manifest, enabled } of catalog) {
    if (manifest.kind !== "connection_provider" || !enabled || manifest.provider !== provider) {
      continue;
    }
    const rows =
      keys.length === 0
        ? []
        : await db
            .selectFrom("secrets")
            .select(["key", "sealed"])
            .where("plugin_id", "=", manifest.id)
            .where("key", "in", [...keys])
            .execute();
    const stored = new Map(rows.map((row) => [row.key, row.sealed]));
    const absent = keys.filter((key) => !stored.has(key));
    if (absent.length === 0) {
      return {
        secrets: new Map(
          [...stored].map(([key, sealed]) => [key, vault.open(manifest.id, key, sealed)]),
        ),
      };
    }
    if (absent.length < missing.length) missing = absent;
  }
  return { missing };
}
