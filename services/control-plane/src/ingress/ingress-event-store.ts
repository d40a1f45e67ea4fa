import {
  type IngressEvent,
  type IngressEventStatus,
  IngressEventStatusSchema,
} from "@plugboard/contracts";
import type { Kysely, Selectable } from "kysely";
import type { EventEnvelope } from "../events/event-envelope.js";
import { encodePageCursor } from "../http/page-cursor.js";
import type { IngressEventTable, Schema } from "../store/schema.js";
import type { IngressEventStatements } from "./ingress-event-statements.js";

/** The outcome of storing a delivery: its event id, and whether an earlier delivery had it. */
export interface RecordedDelivery {
  readonly eventId: string;
  readonly duplicate: boolean;
}

/** An event to store, with the provider's id that identifies redeliveries of it. */
export interface IngressEventRecord {
  readonly event: EventEnvelope;
  readonly providerEventId: string;
}

const keyOf = (pluginId: string, providerEventId: string) => `${pluginId}\n${providerEventId}`;

/**
 * Stores each event as `pending`, once per (adapter, provider event id), in one statement:
 * the unique constraint decides between deliveries of one event — in this batch, in
 * concurrent transactions, or on other replicas — so exactly one of them inserts and the
 * others get its event id back. Outcomes are in the order of `records`.
 */
export async function recordIngressEvents(
  db: Kysely<Schema>,
  statements: IngressEventStatements,
  records: readonly IngressEventRecord[],
): Promise<RecordedDelivery[]> {
  if (records.length === 0) return [];
  const { rows: inserted } = await db.executeQuery(statements.insert(records));
  const fresh = new Set(inserted.map((row) => row.id));
  const repeated = records.filter(({ event }) => !fresh.has(event.id));
  const firstIds = new Map<string, string>();
  if (repeated.length > 0) {
    const rows = await db
      .selectFrom("ingress_events")
      .select(["id", "plugin_id", "provider_event_id"])
      .where((eb) =>
        eb.or(
          repeated.map(({ event, providerEventId }) =>
            eb.and([
              eb("plugin_id", "=", event.source),
              eb("provider_event_id", "=", providerEventId),
            ]),
          ),
        ),
      )
      .execute();
    for (const row of rows) firstIds.set(keyOf(row.plugin_id, row.provider_event_id), row.id);
  }
  return records.map(({ event, providerEventId }) => {
    if (fresh.has(event.id)) return { eventId: event.id, duplicate: false };
    const first = firstIds.get(keyOf(event.source, providerEventId));
    if (first === undefined) {
      throw new Error(
        `ingress event ${providerEventId} of ${event.source} was neither stored nor found`,
      );
    }
    return { eventId: first, duplicate: true };
  });
}

/** Records that the bus accepted the events with these ids. */
export async function markPublished(
  db: Kysely<Schema>,
  ids: readonly string[],
  at: Date,
): Promise<void> {
  await db
    .updateTable("ingress_events")
    .set({ status: "published", published_at: at.toISOString() })
    .where("id", "in", ids)
    .execute();
}

/** Events the bus accepted, and events whose workers were given them, to record together. */
export interface IngressEventMarks {
  readonly published: readonly string[];
  readonly dispatched: readonly string[];
}

/**
 * Records both kinds of marks at `at`. An event usually reaches its workers soon after the
 * bus accepted it, so its two marks arrive together: those are written by one statement,
 * which rewrites each row once instead of twice.
 */
export async function markIngressEvents(
  db: Kysely<Schema>,
  statements: IngressEventStatements,
  marks: IngressEventMarks,
  at: Date,
): Promise<void> {
  const dispatched = new Set(marks.dispatched);
  const both = marks.published.filter((id) => dispatched.has(id));
  const bothSet = new Set(both);
  const publishedOnly = marks.published.filter((id) => !bothSet.has(id));
  const dispatchedOnly = marks.dispatched.filter((id) => !bothSet.has(id));
  if (both.length > 0) {
    await db.executeQuery(statements.markPublishedAndDispatched(both, at.toISOString()));
  }
  if (publishedOnly.length > 0) await markPublished(db, publishedOnly, at);
  if (dispatchedOnly.length > 0) await markDispatched(db, dispatchedOnly, at);
}

function envelopeOf(row: Selectable<IngressEventTable>): EventEnvelope {
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    time: row.received_at,
    source: row.plugin_id,
    correlationId: row.correlation_id,
    data: JSON.parse(row.data_json),
  };
}

/** Up to `limit` events the bus has not accepted yet, oldest first. */
export async function pendingIngressEvents(
  db: Kysely<Schema>,
  limit: number,
): Promise<EventEnvelope[]> {
  const rows = await db
    .selectFrom("ingress_events")
    .selectAll()
    .where("status", "=", "pending")
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map(envelopeOf);
}

/**
 * Up to `limit` published events after `afterSeq` that were not yet given to their workers,
 * oldest first, with their sequence numbers to continue from.
 */
export async function undispatchedIngressEvents(
  db: Kysely<Schema>,
  afterSeq: number,
  limit: number,
): Promise<Array<{ readonly seq: number; readonly event: EventEnvelope }>> {
  const rows = await db
    .selectFrom("ingress_events")
    .selectAll()
    .where("dispatched_at", "is", null)
    .where("status", "=", "published")
    .where("seq", ">", afterSeq)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((row) => ({ seq: row.seq, event: envelopeOf(row) }));
}

/** Records that every worker whose routes match these events was given them. */
export async function markDispatched(
  db: Kysely<Schema>,
  ids: readonly string[],
  at: Date,
): Promise<void> {
  await db
    .updateTable("ingress_events")
    .set({ dispatched_at: at.toISOString() })
    .where("id", "in", ids)
    .execute();
}

export interface IngressEventPage {
  readonly events: IngressEvent[];
  readonly nextCursor: string | null;
}

/** Newest first, `limit` per page, continuing below `before` when given. */
export async function listIngressEvents(
  db: Kysely<Schema>,
  page: {
    readonly before?: number | undefined;
    readonly limit: number;
    readonly plugin?: string | undefined;
    readonly status?: IngressEventStatus | undefined;
  },
): Promise<IngressEventPage> {
  let query = db
    .selectFrom("ingress_events")
    .selectAll()
    .orderBy("seq", "desc")
    .limit(page.limit + 1);
  if (page.before !== undefined) query = query.where("seq", "<", page.before);
  if (page.plugin !== undefined) query = query.where("plugin_id", "=", page.plugin);
  if (page.status !== undefined) query = query.where("status", "=", page.status);
  const rows = await query.execute();
  const shown = rows.slice(0, page.limit);
  const events = shown.map(
    (row): IngressEvent => ({
      ...envelopeOf(row),
      providerEventId: row.provider_event_id,
      status: IngressEventStatusSchema.parse(row.status),
      publishedAt: row.published_at,
    }),
  );
  const last = shown.at(-1);
  return {
    events,
    nextCursor: rows.length > page.limit && last !== undefined ? encodePageCursor(last.seq) : null,
  };
}
