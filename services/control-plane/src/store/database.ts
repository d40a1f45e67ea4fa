import { type Kysely, Migrator, sql } from "kysely";
import { LATEST_MIGRATION, migrationProvider } from "./migrations/index.js";
import { createPostgresDatabase } from "./postgres/postgres-database.js";
import type { Schema } from "./schema.js";
import { createSqliteDatabase } from "./sqlite/sqlite-database.js";

export type DialectName = "sqlite" | "postgres";

export interface Database {
  readonly db: Kysely<Schema>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
}

/** PostgreSQL when a URL is given, otherwise SQLite in the data directory. */
export function openDatabase(options: DatabaseOptions): Database {
  const dialect: DialectName = options.databaseUrl === undefined ? "sqlite" : "postgres";
  const db =
    options.databaseUrl === undefined
      ? createSqliteDatabase(options.dataDir)
      : createPostgresDatabase(options.databaseUrl);
  return { db, dialect, close: () => db.destroy() };
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(database: Database): Promise<void> {
  const migrator = new Migrator({ db: database.db, provider: migrationProvider(database.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`database migration ${failed} failed: ${String(error)}`);
  }
}

/** True when the database answers and the latest migration is applied. */
export async function isDatabaseReady(database: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(database.db);
    const migrator = new Migrator({
      db: database.db,
      provider: migrationProvider(database.dialect),
    });
    const migrations = await migrator.getMigrations();
    return migrations.some((m) => m.name === LATEST_MIGRATION && m.executedAt !== undefined);
  } catch {
    return false;
  }
}
