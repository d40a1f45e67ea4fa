import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/** Distinct statements kept prepared; the least recently used one goes first. */
const CACHED_STATEMENTS = 256;

/**
 * The database as Kysely's SQLite dialect sees it, with prepared statements reused by SQL
 * text. Kysely prepares every query it runs, and preparing costs about as much as running a
 * small statement; queries are parameterised, so the same few texts recur. A statement still
 * being iterated is never handed out twice: a fresh one is prepared instead.
 */
export function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      const cached = prepared.get(sql);
      if (cached !== undefined && !cached.busy) {
        // Re-inserted, so the map's order is the order of last use.
        prepared.delete(sql);
        prepared.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      prepared.set(sql, statement);
      if (prepared.size > CACHED_STATEMENTS) {
        const oldest = prepared.keys().next().value;
        if (oldest !== undefined) prepared.delete(oldest);
      }
      return statement;
    },
  };
}
