import type { SecretStore } from "@plugboard/runtime";
import type { Kysely } from "kysely";
import type { SecretVault } from "../secrets/secret-vault.js";
import type { Schema } from "../store/schema.js";

/**
 * Plugin secrets as the context broker reads them: opened from the vault on each use, never
 * cached, so a secret the operator replaces is used from the next request on.
 */
export function createVaultSecretStore(db: Kysely<Schema>, vault: SecretVault): SecretStore {
  return {
    async resolve(pluginId, key) {
      const row = await db
        .selectFrom("secrets")
        .select("sealed")
        .where("plugin_id", "=", pluginId)
        .where("key", "=", key)
        .executeTakeFirst();
      return row === undefined ? undefined : vault.open(pluginId, key, row.sealed);
    },
  };
}
