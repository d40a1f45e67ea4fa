import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Schema } from "../schema.js";

/** PostgreSQL through a connection pool, used when DATABASE_URL is set. */
export function createPostgresDatabase(url: string): Kysely<Schema> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}
