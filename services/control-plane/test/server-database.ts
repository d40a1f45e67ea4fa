import type { Kysely } from "kysely";
import { type Database, openDatabase } from "../src/store/database.js";
import type { Schema } from "../src/store/schema.js";
import type { RunningControlPlane } from "./running-control-plane.js";

/** Opens the database a test server runs on, beside the server. */
export function openServerDatabase(server: RunningControlPlane): Database {
  return openDatabase({ dataDir: server.dataDir, databaseUrl: server.databaseUrl });
}

/** Runs `read` on a connection of its own to the server's database, then closes it. */
export async function withServerDatabase<T>(
  server: RunningControlPlane,
  read: (db: Kysely<Schema>) => Promise<T>,
): Promise<T> {
  const database = openServerDatabase(server);
  try {
    return await read(database.db);
  } finally {
    await database.close();
  }
}
