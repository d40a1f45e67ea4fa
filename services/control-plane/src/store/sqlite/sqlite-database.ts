import { mkdirSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Schema } from "../schema.js";
import { durableSqliteDialect } from "./sqlite-durable-dialect.js";
import { withStatementCache } from "./sqlite-statement-cache.js";
import { createWalSync } from "./wal-sync.js";

/** The embedded default: one SQLite file in the data directory, WAL mode, foreign keys on. */
export function createSqliteDatabase(
  dataDir: string,
  fileName = "plugboard.sqlite",
): Kysely<Schema> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, fileName);
  const sqlite = new BetterSqlite3(path);
  const journalMode: unknown = sqlite.pragma("journal_mode = WAL", { simple: true });
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const database = withStatementCache(sqlite);
  if (journalMode !== "wal") {
    // A file system without shared memory for the log: SQLite syncs every commit itself.
    return new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
  }
  // Commits are flushed by the driver, off the event loop, before the write resolves.
  sqlite.pragma("synchronous = NORMAL");
  return new Kysely<Schema>({
    dialect: durableSqliteDialect({ database }, createWalSync(`${path}-wal`)),
  });
}
