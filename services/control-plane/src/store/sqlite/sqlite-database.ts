import { mkdirSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Schema } from "../schema.js";
import { withStatementCache } from "./sqlite-statement-cache.js";

/** The embedded default: one SQLite file in the data directory, WAL mode, foreign keys on. */
export function createSqliteDatabase(
  dataDir: string,
  fileName = "plugboard.sqlite",
): Kysely<Schema> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new BetterSqlite3(join(dataDir, fileName));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return new Kysely<Schema>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
}
