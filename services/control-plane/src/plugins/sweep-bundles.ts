import type { Kysely } from "kysely";
import { sweepBundles } from "../plugin-packages/bundle-store.js";
import type { Schema } from "../store/schema.js";

/**
 * Removes bundle folders no version row refers to: what an install, rollback or uninstall
 * interrupted between its files and its commit left behind. Call at start, before serving.
 */
export async function sweepUnreferencedBundles(
  db: Kysely<Schema>,
  dataDir: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("plugin_versions")
    .select("bundle_dir")
    .where("bundle_dir", "is not", null)
    .execute();
  const referenced = new Set(
    rows.flatMap((row) => (row.bundle_dir === null ? [] : [row.bundle_dir])),
  );
  return sweepBundles(dataDir, referenced);
}
