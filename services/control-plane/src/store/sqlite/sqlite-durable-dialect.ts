import {
  type DatabaseConnection,
  type Dialect,
  type Driver,
  SqliteDialect,
  type SqliteDialectConfig,
} from "kysely";
import type { WalSync } from "./wal-sync.js";

/**
 * Kysely's SQLite dialect with commits made durable off the event loop. SQLite runs with
 * `synchronous = NORMAL`, so a commit writes the log without waiting for the disk; the driver
 * then flushes the log on the thread pool before the query or transaction that wrote
 * resolves, after releasing the connection, so the next transaction runs meanwhile. Callers
 * keep the guarantee of `synchronous = FULL` (what resolved is on disk), while the event loop
 * serves requests during the flush and one flush covers the commits made while the previous
 * one ran. Reads never wait for a flush.
 */
export function durableSqliteDialect(config: SqliteDialectConfig, wal: WalSync): Dialect {
  const dialect = new SqliteDialect(config);
  return {
    createDriver: () => durableDriver(dialect.createDriver(), wal),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

function durableDriver(driver: Driver, wal: WalSync): Driver {
  // SQLite has one connection, held by one caller at a time: whether that caller wrote is
  // one flag, cleared when it releases the connection.
  let wrote = false;
  const inner = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const unwrap = (connection: DatabaseConnection) => inner.get(connection) ?? connection;
  const observed = (connection: DatabaseConnection): DatabaseConnection => {
    const wrapped: DatabaseConnection = {
      executeQuery(query) {
        if (query.query.kind !== "SelectQueryNode") wrote = true;
        return connection.executeQuery(query);
      },
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
    inner.set(wrapped, connection);
    return wrapped;
  };
  let current: DatabaseConnection | undefined;

  return {
    init: () => driver.init(),
    async acquireConnection() {
      const connection = await driver.acquireConnection();
      if (current === undefined || unwrap(current) !== connection) current = observed(connection);
      return current;
    },
    beginTransaction: (connection, settings) =>
      driver.beginTransaction(unwrap(connection), settings),
    commitTransaction: (connection) => driver.commitTransaction(unwrap(connection)),
    rollbackTransaction: (connection) => driver.rollbackTransaction(unwrap(connection)),
    async releaseConnection(connection) {
      const flush = wrote;
      wrote = false;
      await driver.releaseConnection(unwrap(connection));
      if (flush) await wal.flush();
    },
    async destroy() {
      await driver.destroy();
      await wal.close();
    },
  };
}
