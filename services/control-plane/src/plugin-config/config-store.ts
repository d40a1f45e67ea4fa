import { type ConfigValues, ConfigValuesSchema } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import type { Schema } from "../store/schema.js";

/** One stored revision of a plugin's config. */
export interface StoredConfig {
  readonly revision: number;
  readonly config: ConfigValues;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly restoredFrom: number | null;
}

// A stored row is outside input (an older version may have written it): parse it.
function toStoredConfig(row: Schema["config_revisions"]): StoredConfig {
  return {
    revision: Number(row.revision),
    config: ConfigValuesSchema.parse(JSON.parse(row.config_json)),
    createdAt: row.created_at,
    createdBy: row.created_by,
    restoredFrom: row.restored_from === null ? null : Number(row.restored_from),
  };
}

/** The newest revision of a plugin's config, or undefined before the first write. */
export async function currentConfig(
  db: Kysely<Schema>,
  pluginId: string,
): Promise<StoredConfig | undefined> {
  const row = await db
    .selectFrom("config_revisions")
    .selectAll()
    .where("plugin_id", "=", pluginId)
    .orderBy("revision", "desc")
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toStoredConfig(row);
}

/** The newest revision number of a plugin's config; 0 before the first write. */
export async function latestRevision(db: Kysely<Schema>, pluginId: string): Promise<number> {
  const row = await db
    .selectFrom("config_revisions")
    .select("revision")
    .where("plugin_id", "=", pluginId)
    .orderBy("revision", "desc")
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? 0 : Number(row.revision);
}

/** The newest config of each of the given plugins that has one. */
export async function currentConfigs(
  db: Kysely<Schema>,
  pluginIds: readonly string[],
): Promise<Map<string, ConfigValues>> {
  if (pluginIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("config_revisions as r")
    .select(["r.plugin_id", "r.config_json"])
    .where("r.plugin_id", "in", [...pluginIds])
    .where((eb) =>
      eb(
        "r.revision",
        "=",
        eb
          .selectFrom("config_revisions as latest")
          .select((inner) => inner.fn.max("latest.revision").as("revision"))
          .whereRef("latest.plugin_id", "=", "r.plugin_id"),
      ),
    )
    .execute();
  return new Map(
    rows.map((row) => [row.plugin_id, ConfigValuesSchema.parse(JSON.parse(row.config_json))]),
  );
}

/** One revision, or undefined when the plugin has no such revision. */
export async function findConfigRevision(
  db: Kysely<Schema>,
  pluginId: string,
  revision: number,
): Promise<StoredConfig | undefined> {
  const row = await db
    .selectFrom("config_revisions")
    .selectAll()
    .where("plugin_id", "=", pluginId)
    .where("revision", "=", revision)
    .executeTakeFirst();
  return row === undefined ? undefined : toStoredConfig(row);
}

/** Every revision of a plugin's config, newest first. */
export async function listConfigRevisions(
  db: Kysely<Schema>,
  pluginId: string,
): Promise<StoredConfig[]> {
  const rows = await db
    .selectFrom("config_revisions")
    .selectAll()
    .where("plugin_id", "=", pluginId)
    .orderBy("revision", "desc")
    .execute();
  return rows.map(toStoredConfig);
}

/**
 * Inserts the revision after `previous`. Two writers that both read `previous` race on the
 * primary key (plugin_id, revision): exactly one insert succeeds, the other throws a
 * unique violation, which the caller answers with 409.
 */
export async function insertConfigRevision(
  trx: Kysely<Schema>,
  write: {
    readonly pluginId: string;
    readonly previous: number;
    readonly config: ConfigValues;
    readonly actor: string;
    readonly restoredFrom: number | null;
  },
): Promise<StoredConfig> {
  const stored: StoredConfig = {
    revision: write.previous + 1,
    config: write.config,
    createdAt: new Date().toISOString(),
    createdBy: write.actor,
    restoredFrom: write.restoredFrom,
  };
  await trx
    .insertInto("config_revisions")
    .values({
      plugin_id: write.pluginId,
      revision: stored.revision,
      config_json: JSON.stringify(stored.config),
      created_at: stored.createdAt,
      created_by: stored.createdBy,
      restored_from: stored.restoredFrom,
    })
    .execute();
  return stored;
}
