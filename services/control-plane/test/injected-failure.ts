import { sql } from "kysely";
import type { RunningControlPlane } from "./running-control-plane.js";
import { openServerDatabase } from "./server-database.js";

/**
 * Makes every insert into `table` fail inside the database, so a multi-step write breaks
 * midway without any test hook in the server. Returns the function that removes it.
 */
export async function failInsertsInto(
  server: RunningControlPlane,
  table: string,
): Promise<() => Promise<void>> {
  const database = openServerDatabase(server);
  const trigger = sql.id(`injected_failure_${table}`);
  const target = sql.id(table);
  try {
    if (database.dialect === "sqlite") {
      await sql`create trigger ${trigger} before insert on ${target} begin select raise(abort, 'injected failure'); end`.execute(
        database.db,
      );
    } else {
      await sql`create or replace function injected_failure() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`.execute(
        database.db,
      );
      await sql`create trigger ${trigger} before insert on ${target} for each row execute function injected_failure()`.execute(
        database.db,
      );
    }
  } finally {
    await database.close();
  }
  return async () => {
    const cleanup = openServerDatabase(server);
    try {
      await sql`drop trigger ${trigger}${cleanup.dialect === "postgres" ? sql` on ${target}` : sql``}`.execute(
        cleanup.db,
      );
    } finally {
      await cleanup.close();
    }
  };
}
