import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withStatementCache } from "./sqlite-statement-cache.js";

function openMemory() {
  const sqlite = new BetterSqlite3(":memory:");
  let prepares = 0;
  const counting = Object.assign(Object.create(sqlite), {
    prepare(text: string) {
      prepares++;
      return sqlite.prepare(text);
    },
    close: () => sqlite.close(),
  }) as BetterSqlite3.Database;
  const db = new Kysely<{ items: { id: number; name: string } }>({
    dialect: new SqliteDialect({ database: withStatementCache(counting) }),
  });
  return { db, prepares: () => prepares };
}

describe("SQLite statement cache", () => {
  it("prepares a query text once and reuses it with other parameters", async () => {
    const { db, prepares } = openMemory();
    await sql`create table items (id integer primary key, name text not null)`.execute(db);
    const before = prepares();
    for (let id = 1; id <= 5; id++) {
      await db
        .insertInto("items")
        .values({ id, name: `item ${id}` })
        .execute();
    }
    const names = [];
    for (let id = 1; id <= 5; id++) {
      const row = await db
        .selectFrom("items")
        .select("name")
        .where("id", "=", id)
        .executeTakeFirst();
      names.push(row?.name);
    }
    expect(names).toEqual(["item 1", "item 2", "item 3", "item 4", "item 5"]);
    expect(prepares() - before).toBe(2);
    await db.destroy();
  });

  it("prepares a second statement while the first is still being iterated", () => {
    const sqlite = new BetterSqlite3(":memory:");
    sqlite.exec("create table items (id integer primary key); insert into items values (1), (2);");
    const database = withStatementCache(sqlite);
    const text = "select id from items order by id";
    const first = database.prepare(text);
    const rows = first.iterate([]);
    rows.next();
    const second = database.prepare(text);
    expect(second).not.toBe(first);
    expect(second.all([])).toEqual([{ id: 1 }, { id: 2 }]);
    rows.return?.();
    expect(database.prepare(text)).toBe(second);
    database.close();
  });
});
