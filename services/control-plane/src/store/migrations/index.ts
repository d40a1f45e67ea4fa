import type { Migration, MigrationProvider } from "kysely";
import type { DialectName } from "../database.js";
import { initialMigration } from "./001-initial.js";

/** Every migration in order; the same list runs on SQLite and PostgreSQL. */
export function migrationProvider(dialect: DialectName): MigrationProvider {
  const migrations: Record<string, Migration> = {
    "001-initial": initialMigration(dialect),
  };
  return { getMigrations: async () => migrations };
}

export const LATEST_MIGRATION = "001-initial";
