import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "../events/event-envelope.js";
import { newEventId } from "../events/event-id.js";
import type { Schema } from "../store/schema.js";
import {
  buildInsertQuery,
  buildMarkQuery,
  createIngressEventStatements,
  pendingRow,
} from "./ingress-event-statements.js";
import type { IngressEventRecord } from "./ingress-event-store.js";

// Compile-only databases: the statements are checked against what Kysely compiles itself.
const dialects = {
  sqlite: new Kysely<Schema>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<Schema>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
};

let delivery = 0;
function record(): IngressEventRecord {
  const id = newEventId();
  const event: EventEnvelope = {
    id,
    type: "route.forward_email",
    version: 1,
    time: new Date().toISOString(),
    source: "ingress.postmark.forward-email",
    correlationId: id,
    data: { subject: `hello ${++delivery}`, to: ["bo@client.example"] },
  };
  return { event, providerEventId: `msg-${delivery}` };
}

const records = (count: number) => Array.from({ length: count }, record);

describe.each(Object.entries(dialects))("ingress event statements on %s", (_name, db) => {
  it("binds each group's values where Kysely's own query for that group binds them", () => {
    const statements = createIngressEventStatements(db);
    // Sizes repeat, so later groups reuse a text compiled for an earlier one.
    for (const size of [1, 3, 1, 3, 7, 3]) {
      const group = records(size);
      const ours = statements.insert(group);
      const kysely = buildInsertQuery(db, group.map(pendingRow)).compile();
      expect({ sql: ours.sql, parameters: ours.parameters }).toEqual({
        sql: kysely.sql,
        parameters: kysely.parameters,
      });
    }
  });

  it("marks each group of ids as Kysely's own update for them does", () => {
    const statements = createIngressEventStatements(db);
    for (const size of [2, 1, 2, 5]) {
      const ids = records(size).map(({ event }) => event.id);
      const at = new Date(Date.UTC(2025, 2, size)).toISOString();
      const ours = statements.markPublishedAndDispatched(ids, at);
      const kysely = buildMarkQuery(db, ids, at).compile();
      expect({ sql: ours.sql, parameters: ours.parameters }).toEqual({
        sql: kysely.sql,
        parameters: kysely.parameters,
      });
    }
  });
});
