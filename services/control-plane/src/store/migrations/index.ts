import type { Migration, MigrationProvider } from "kysely";
import type { DialectName } from "../database.js";
import { initialMigration } from "./001-initial.js";
import { ingressMigration } from "./002-ingress.js";
import { actionsMigration } from "./003-actions.js";
import { pluginStorageMigration } from "./004-plugin-storage.js";
import { workItemsMigration } from "./005-work-items.js";
import { entityRecordsMigration } from "./006-entity-records.js";
import { channelJobsMigration } from "./007-channel-jobs.js";
import { actionRetriesMigration } from "./008-action-retries.js";
import { oauthStatesMigration } from "./009-oauth-states.js";

/** Every migration in order; the same list runs on SQLite and PostgreSQL. */
export function migrationProvider(dialect: DialectName): MigrationProvider {
  const migrations: Record<string, Migration> = {
    "001-initial": initialMigration(dialect),
    "002-ingress": ingressMigration(dialect),
    "003-actions": actionsMigration(dialect),
    "004-plugin-storage": pluginStorageMigration(),
    "005-work-items": workItemsMigration(dialect),
    "006-entity-records": entityRecordsMigration(),
    "007-channel-jobs": channelJobsMigration(dialect),
    "008-action-retries": actionRetriesMigration(),
    "009-oauth-states": oauthStatesMigration(),
  };
  return { getMigrations: async () => migrations };
}

export const LATEST_MIGRATION = "009-oauth-states";
