import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Schema } from "../schema.js";

/** PostgreSQL through a connection pool, used when DATABASE_URL is set. */
export function createPostgresDatabase(url: string): Kysely<Schema> {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: postgresTypes() });
  // An idle connection that PostgreSQL closes (restart, pg_terminate_backend, DROP DATABASE
  // ... FORCE) is dropped by the pool and the next query opens a new one. Without a listener,
  // the pool's 'error' event for it would be thrown and end the process.
  pool.on("error", () => {});
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * pg returns bigint (`count(*)`, `bigserial`) as a string, since it may not fit a JS number;
 * SQLite returns a number. Read it as a number so both dialects give the same rows, and refuse
 * a value that a number cannot hold exactly. Set per pool, not on pg's global parsers.
 */
function postgresTypes(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (value: string) => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) {
      throw new RangeError(`bigint ${value} does not fit a JavaScript number exactly`);
    }
    return parsed;
  });
  return types;
}
