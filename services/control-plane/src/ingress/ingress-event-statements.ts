import type { CompiledQuery, Insertable, Kysely } from "kysely";
import type { IngressEventTable, Schema } from "../store/schema.js";
import type { IngressEventRecord } from "./ingress-event-store.js";

/**
 * The two statements webhook intake runs for every group of deliveries: the insert of their
 * rows and the update that marks them published and dispatched. Kysely builds and compiles a
 * query on each call, which for a batch insert costs about as much as SQLite spends running
 * it, and a fresh text is hashed again by the statement cache; but the text depends only on
 * how many rows a group has. So each text is compiled once per row count, by Kysely for the
 * database's dialect, and run again with new values.
 */
export interface IngressEventStatements {
  /** Inserts the events as `pending`, skipping any whose provider event id is stored. */
  insert(records: readonly IngressEventRecord[]): CompiledQuery<{ id: string }>;
  /** Marks the events with these ids published and dispatched at `at` (ISO 8601). */
  markPublishedAndDispatched(ids: readonly string[], at: string): CompiledQuery;
}

/** Row counts whose texts are kept: a group is as large as the deliveries in flight. */
const KEPT_ROW_COUNTS = 100;

/** The row stored for a new event, its values in the order the insert binds them. */
export function pendingRow({ event, providerEventId }: IngressEventRecord) {
  return {
    id: event.id,
    plugin_id: event.source,
    provider_event_id: providerEventId,
    type: event.type,
    version: event.version,
    received_at: event.time,
    correlation_id: event.correlationId,
    data_json: JSON.stringify(event.data),
    status: "pending",
    published_at: null,
    dispatched_at: null,
  } satisfies Insertable<IngressEventTable>;
}

/** The insert of `rows`, built afresh (what `insert` compiles once per row count). */
export function buildInsertQuery(
  db: Kysely<Schema>,
  rows: ReadonlyArray<ReturnType<typeof pendingRow>>,
) {
  return db
    .insertInto("ingress_events")
    .values(rows)
    .onConflict((oc) => oc.columns(["plugin_id", "provider_event_id"]).doNothing())
    .returning("id");
}

/** The update marking `ids`, built afresh (what `markPublishedAndDispatched` compiles once). */
export function buildMarkQuery(db: Kysely<Schema>, ids: readonly string[], at: string) {
  return db
    .updateTable("ingress_events")
    .set({ status: "published", published_at: at, dispatched_at: at })
    .where("id", "in", ids);
}

/**
 * The text compiled for `count` rows, kept for the next group of that size; `parameters`
 * are bound in its place. Kysely binds values in the order they are given (row by row, each
 * row's columns in key order), which is the order `parameters` lists them in.
 */
function withParameters<R>(
  kept: Map<number, CompiledQuery<R>>,
  count: number,
  compile: () => CompiledQuery<R>,
  parameters: readonly unknown[],
): CompiledQuery<R> {
  let compiled = kept.get(count);
  if (compiled === undefined) {
    compiled = compile();
    if (count <= KEPT_ROW_COUNTS) kept.set(count, compiled);
  }
  return { ...compiled, parameters };
}

/** The statements of intake for `db`'s dialect; compile only, `db` runs nothing here. */
export function createIngressEventStatements(db: Kysely<Schema>): IngressEventStatements {
  const inserts = new Map<number, CompiledQuery<{ id: string }>>();
  const marks = new Map<number, CompiledQuery>();
  return {
    insert(records) {
      const rows = records.map(pendingRow);
      return withParameters(
        inserts,
        rows.length,
        () => buildInsertQuery(db, rows).compile(),
        rows.flatMap((row) => Object.values(row)),
      );
    },
    markPublishedAndDispatched(ids, at) {
      return withParameters(marks, ids.length, () => buildMarkQuery(db, ids, at).compile(), [
        "published",
        at,
        at,
        ...ids,
      ]);
    },
  };
}
