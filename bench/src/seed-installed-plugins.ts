import { createSqliteDatabase } from "@plugboard/control-plane/src/store/sqlite/sqlite-database.ts";
import type { PluginManifest } from "@plugboard/plugin-sdk";

/** Who the seeded versions were installed by, as the audit would name the actor. */
const SEEDED_BY = "bench";

/**
 * Writes `manifests` into an already migrated SQLite data directory as installed, enabled
 * plugins at their manifest's version: the rows an install would leave (`plugins` plus one
 * `plugin_versions` row, seq 1), without the install route. The control plane must not be
 * running on `dataDir`.
 */
export async function seedInstalledPlugins(
  dataDir: string,
  manifests: readonly PluginManifest[],
): Promise<void> {
  const db = createSqliteDatabase(dataDir);
  const now = new Date().toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      for (const manifest of manifests) {
        await trx
          .insertInto("plugins")
          .values({
            id: manifest.id,
            kind: manifest.kind,
            source: "installed",
            current_version: manifest.version,
            enabled: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await trx
          .insertInto("plugin_versions")
          .values({
            plugin_id: manifest.id,
            version: manifest.version,
            seq: 1,
            manifest_json: JSON.stringify(manifest),
            package_name: `@bench/${manifest.id.replaceAll(".", "-")}`,
            integrity: null,
            bundle_dir: null,
            installed_at: now,
            installed_by: SEEDED_BY,
          })
          .execute();
      }
    });
  } finally {
    await db.destroy();
  }
}
