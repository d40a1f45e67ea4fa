import { firstPartyManifests } from "@plugboard/plugin-manifests";
import { type PluginManifest, validateManifest } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import type { Schema } from "../store/schema.js";

export type PluginSource = "first_party" | "installed";

/** A plugin as the control plane knows it: its active manifest and installation state. */
export interface CatalogEntry {
  readonly manifest: PluginManifest;
  readonly source: PluginSource;
  readonly installedVersion: string | null;
  readonly enabled: boolean;
}

/**
 * Registers the first-party plugins: a row per manifest, created the first time and moved
 * to the shipped version afterwards. Operator choices (enabled) are kept. Hooks start
 * disabled: they act on traffic (limit it, rewrite what is recorded), so an operator turns
 * each one on after setting it up; every other first-party plugin starts enabled.
 */
export async function registerFirstPartyPlugins(db: Kysely<Schema>): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const manifest of firstPartyManifests) {
      await trx
        .insertInto("plugins")
        .values({
          id: manifest.id,
          kind: manifest.kind,
          source: "first_party",
          current_version: manifest.version,
          enabled: manifest.kind === "hook" ? 0 : 1,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column("id").doUpdateSet({ current_version: manifest.version, kind: manifest.kind }),
        )
        .execute();
    }
  });
}

/**
 * Reads a stored manifest. Rows were validated when written, but a row written by an older
 * version is outside input too: it is parsed again, and a row that no longer validates is
 * reported rather than served.
 */
export function parseStoredManifest(pluginId: string, json: string): PluginManifest {
  const result = validateManifest(JSON.parse(json));
  if (!result.success) {
    const first = result.issues[0];
    throw new Error(
      `stored manifest of ${pluginId} no longer validates: ${first?.path}: ${first?.message}`,
    );
  }
  return result.manifest;
}

/** Every plugin with its active manifest, first-party and installed. */
export async function loadCatalog(db: Kysely<Schema>): Promise<CatalogEntry[]> {
  const plugins = await db.selectFrom("plugins").selectAll().orderBy("id").execute();
  const firstParty = new Map(firstPartyManifests.map((manifest) => [manifest.id, manifest]));
  const installed = await db
    .selectFrom("plugin_versions as v")
    .innerJoin("plugins as p", (join) =>
      join.onRef("p.id", "=", "v.plugin_id").onRef("p.current_version", "=", "v.version"),
    )
    .select(["v.plugin_id", "v.manifest_json", "v.seq"])
    .orderBy("v.seq", "desc")
    .execute();
  const installedManifests = new Map<string, string>();
  for (const row of installed) {
    if (!installedManifests.has(row.plugin_id))
      installedManifests.set(row.plugin_id, row.manifest_json);
  }
  const entries: CatalogEntry[] = [];
  for (const row of plugins) {
    const source: PluginSource = row.source === "first_party" ? "first_party" : "installed";
    const storedJson = installedManifests.get(row.id);
    const manifest =
      source === "first_party"
        ? firstParty.get(row.id)
        : storedJson === undefined
          ? undefined
          : parseStoredManifest(row.id, storedJson);
    if (manifest === undefined) continue;
    entries.push({
      manifest,
      source,
      installedVersion: row.current_version,
      enabled: row.enabled === 1,
    });
  }
  return entries;
}
