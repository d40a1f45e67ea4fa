import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteDatabase } from "./sqlite-database.js";
import { durableSqliteDialect } from "./sqlite-durable-dialect.js";
import type { WalSync } from "./wal-sync.js";

interface Items {
  items: { id: number; name: string };
}

/** A log flush that ends when the test says so. */
function controlledWal() {
  const pending: Array<{ finish(): void; fail(error: Error): void }> = [];
  const wal: WalSync = {
    flush: () =>
      new Promise<void>((resolve, reject) => pending.push({ finish: resolve, fail: reject })),
    close: async () => undefined,
  };
  return { wal, pending };
}

const isSettled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe("durable SQLite dialect", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "plugboard-durable-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function open() {
    const sqlite = new BetterSqlite3(join(dir, "items.sqlite"));
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    const { wal, pending } = controlledWal();
    const db = new Kysely<Items>({ dialect: durableSqliteDialect({ database: sqlite }, wal) });
    const created = sql`create table items (id integer primary key, name text not null)`.execute(
      db,
    );
    await isSettled(created);
    pending.shift()?.finish();
    await created;
    return { db, pending };
  }

  it("resolves a write only once a log flush after its commit ended", async () => {
    const { db, pending } = await open();
    const insert = db.insertInto("items").values({ id: 1, name: "one" }).execute();
    expect(await isSettled(insert)).toBe(false);
    expect(pending).toHaveLength(1);
    pending.shift()?.finish();
    await expect(insert).resolves.toBeDefined();
    await db.destroy();
  });

  it("lets other queries use the connection while a write waits for its flush", async () => {
    const { db, pending } = await open();
    const insert = db.insertInto("items").values({ id: 1, name: "one" }).execute();
    // The insert is committed, so a read sees it while the flush is still running.
    const rows = await db.selectFrom("items").select("name").execute();
    expect(rows).toEqual([{ name: "one" }]);
    expect(await isSettled(insert)).toBe(false);
    pending.shift()?.finish();
    await insert;
    await db.destroy();
  });

  it("flushes once for a transaction, after its commit", async () => {
    const { db, pending } = await open();
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ id: 1, name: "one" }).execute();
      await trx.insertInto("items").values({ id: 2, name: "two" }).execute();
      expect(pending).toHaveLength(0);
    });
    expect(await isSettled(transaction)).toBe(false);
    expect(pending).toHaveLength(1);
    pending.shift()?.finish();
    await transaction;
    expect(pending).toHaveLength(0);
    await db.destroy();
  });

  it("never flushes for reads", async () => {
    const { db, pending } = await open();
    await db.selectFrom("items").selectAll().execute();
    await db.transaction().execute((trx) => trx.selectFrom("items").selectAll().execute());
    expect(pending).toHaveLength(0);
    await db.destroy();
  });

  it("fails a write whose flush failed", async () => {
    const { db, pending } = await open();
    const insert = db.insertInto("items").values({ id: 1, name: "one" }).execute();
    await isSettled(insert);
    pending.shift()?.fail(new Error("EIO: the disk refused the flush"));
    await expect(insert).rejects.toThrow("EIO");
    await db.destroy();
  });
});

describe("the control plane's SQLite database", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "plugboard-sqlite-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs in WAL mode with commits flushed by the driver, and keeps what was written", async () => {
    const db = createSqliteDatabase(dir) as unknown as Kysely<Items>;
    await sql`create table items (id integer primary key, name text not null)`.execute(db);
    await Promise.all(
      Array.from({ length: 20 }, (_, id) =>
        db
          .insertInto("items")
          .values({ id, name: `item ${id}` })
          .execute(),
      ),
    );
    await db.destroy();
    const reopened = new BetterSqlite3(join(dir, "plugboard.sqlite"));
    expect(reopened.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(reopened.prepare("select count(*) as n from items").get()).toEqual({ n: 20 });
    reopened.close();
  });
});
