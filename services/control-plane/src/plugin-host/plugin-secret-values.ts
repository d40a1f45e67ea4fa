import type { Kysely } from "kysely";
import type { SecretVault } from "../secrets/secret-vault.js";
import type { Schema } from "../store/schema.js";

/** How long read values are used before the vault is read again. */
const MAX_AGE_MS = 1_000;

/**
 * Every secret value one plugin has set, for its context to redact from log lines and
 * responses (`knownSecretValues`). The values are read from the vault when the context is
 * built and again when they are more than a second old; until a read finishes, callers get
 * its promise, so nothing is written unredacted in the meantime. A value that does not open
 * is skipped: the host cannot inject it either. A failed read is tried again on the next call.
 */
export function pluginSecretValues(
  db: Kysely<Schema>,
  vault: SecretVault,
  pluginId: string,
): () => readonly string[] | Promise<readonly string[]> {
  let loaded: { readonly values: readonly string[]; readonly at: number } | undefined;
  let loading: Promise<readonly string[]> | undefined;
  const read = async (): Promise<readonly string[]> => {
    const rows = await db
      .selectFrom("secrets")
      .select(["key", "sealed"])
      .where("plugin_id", "=", pluginId)
      .execute();
    return rows.flatMap((row) => {
      try {
        return [vault.open(pluginId, row.key, row.sealed)];
      } catch {
        return [];
      }
    });
  };
  const load = (): Promise<readonly string[]> => {
    loading ??= read()
      .then((values) => {
        loaded = { values, at: performance.now() };
        return values;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  // Read ahead, so the plugin's first lines seldom wait; a failure here is the next call's.
  load().catch(() => undefined);
  return () =>
    loaded !== undefined && performance.now() - loaded.at < MAX_AGE_MS ? loaded.values : load();
}
