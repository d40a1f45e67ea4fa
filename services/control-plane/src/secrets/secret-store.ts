import type { Kysely } from "kysely";
import type { Schema } from "../store/schema.js";
import type { SecretVault } from "./secret-vault.js";

/** When each stored secret of a plugin was last written, by key. Never the values. */
export async function storedSecretKeys(
  db: Kysely<Schema>,
  pluginId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom("secrets")
    .select(["key", "updated_at"])
    .where("plugin_id", "=", pluginId)
    .execute();
  return new Map(rows.map((row) => [row.key, row.updated_at]));
}

/** What a secrets write changed: the names only. */
export interface SecretChanges {
  readonly stored: readonly string[];
  readonly deleted: readonly string[];
}

/**
 * Seals and stores each string value, deletes each key given null. Run it inside the
 * transaction that audits the change. Plaintext never reaches the database.
 */
export async function writeSecrets(
  trx: Kysely<Schema>,
  vault: SecretVault,
  pluginId: string,
  changes: Readonly<Record<string, string | null>>,
): Promise<SecretChanges> {
  const now = new Date().toISOString();
  const stored: string[] = [];
  const deleted: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) {
      const result = await trx
        .deleteFrom("secrets")
        .where("plugin_id", "=", pluginId)
        .where("key", "=", key)
        .executeTakeFirst();
      if (result.numDeletedRows > 0n) deleted.push(key);
      continue;
    }
    const sealed = vault.seal(pluginId, key, value);
    await trx
      .insertInto("secrets")
      .values({ plugin_id: pluginId, key, sealed, updated_at: now })
      .onConflict((oc) => oc.columns(["plugin_id", "key"]).doUpdateSet({ sealed, updated_at: now }))
      .execute();
    stored.push(key);
  }
  return { stored, deleted };
}
