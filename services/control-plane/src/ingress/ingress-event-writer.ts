import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { EventEnvelope } from "../events/event-envelope.js";
import type { Schema } from "../store/schema.js";
import { createIngressEventStatements } from "./ingress-event-statements.js";
import {
  type IngressEventMarks,
  type IngressEventRecord,
  markIngressEvents,
  type RecordedDelivery,
  recordIngressEvents,
} from "./ingress-event-store.js";

/**
 * Writes ingress events with group commit: the events that arrive while a write is running,
 * and the publications recorded meanwhile, go to the database together in one transaction.
 * A commit per event would make the disk flush, not the work, the limit of webhook intake.
 */
export interface IngressEventWriter {
  /** Stores the event once per provider event id; resolves once the transaction committed. */
  record(event: EventEnvelope, providerEventId: string): Promise<RecordedDelivery>;
  /** Records, with the next write, that the bus accepted the event. */
  markPublished(eventId: string): void;
  /** Records, with the next write, that the event's workers were given it. */
  markDispatched(eventId: string): void;
  /** Resolves once everything queued so far is written. */
  drain(): Promise<void>;
}

interface QueuedRecord extends IngressEventRecord {
  /** `source`, newline, provider event id: the order rows are inserted in. */
  readonly key: string;
  readonly resolve: (recorded: RecordedDelivery) => void;
  readonly reject: (error: unknown) => void;
}

/** Rows per statement: well under the bound parameters SQLite and PostgreSQL allow. */
const MAX_BATCH = 500;

/** Lets the requests handled in the same turn of the event loop join one transaction. */
const laterTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The most turns of the event loop a write waits for more deliveries. Under load the
 * deliveries of one transaction arrive over a few turns (the senders whose acknowledgements
 * left together send their next requests together): waiting while each turn brings more
 * makes one commit of what would be two or three. A turn that brings none ends the wait, so
 * a lone delivery is written on the next turn, as without the wait. Marks alone do not wait:
 * once a worker's run shows, its event's dispatch mark follows within a turn.
 */
const GATHER_TURNS = 3;

// Rows are inserted in key order, so two transactions inserting the same events (on two
// replicas) take their locks in the same order and cannot deadlock on PostgreSQL.
const inKeyOrder = (a: QueuedRecord, b: QueuedRecord) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

export function createIngressEventWriter(
  db: Kysely<Schema>,
  log: Pick<FastifyBaseLogger, "warn">,
): IngressEventWriter {
  const records: QueuedRecord[] = [];
  const published: string[] = [];
  const dispatched: string[] = [];
  let writing: Promise<void> | undefined;

  const statements = createIngressEventStatements(db);
  const writeMarks = (target: Kysely<Schema>, marks: IngressEventMarks) =>
    markIngressEvents(target, statements, marks, new Date());
  const pending = () => records.length > 0 || published.length > 0 || dispatched.length > 0;

  const writeBatch = async (batch: QueuedRecord[], marks: IngressEventMarks) => {
    batch.sort(inKeyOrder);
    try {
      const outcomes = await db.transaction().execute(async (trx) => {
        const recorded = await recordIngressEvents(trx, statements, batch);
        await writeMarks(trx, marks);
        return recorded;
      });
      batch.forEach((item, index) => {
        const outcome = outcomes[index];
        if (outcome !== undefined) item.resolve(outcome);
      });
    } catch {
      // One failing row must not fail the deliveries it shared a transaction with: each is
      // written again on its own, and only the one that fails again is refused.
      for (const item of batch) {
        try {
          const [outcome] = await recordIngressEvents(db, statements, [item]);
          if (outcome === undefined) throw new Error("an ingress event was not recorded");
          item.resolve(outcome);
        } catch (error) {
          item.reject(error);
        }
      }
      try {
        await writeMarks(db, marks);
      } catch (error) {
        log.warn(
          { err: error, published: marks.published.length, dispatched: marks.dispatched.length },
          "ingress events could not be marked; they are published or dispatched again at start",
        );
      }
    }
  };

  const schedule = () => {
    if (writing !== undefined) return;
    const scheduledWith = records.length;
    writing = (async () => {
      await laterTurn();
      for (
        let turn = 1, seen = scheduledWith;
        turn < GATHER_TURNS && records.length > seen;
        turn++
      ) {
        seen = records.length;
        await laterTurn();
      }
      while (pending()) {
        const batch = records.splice(0, MAX_BATCH);
        await writeBatch(batch, {
          published: published.splice(0, MAX_BATCH),
          dispatched: dispatched.splice(0, MAX_BATCH),
        });
        // Marks queued meanwhile (those of the events just committed) wait for a later turn,
        // by when the bus has handed those events to their subscribers: both marks of an
        // event then go in one write, instead of a transaction for each.
        if (records.length === 0) break;
      }
    })().finally(() => {
      writing = undefined;
      if (pending()) schedule();
    });
  };

  return {
    record(event, providerEventId) {
      return new Promise((resolve, reject) => {
        const key = `${event.source}\n${providerEventId}`;
        records.push({ event, providerEventId, key, resolve, reject });
        schedule();
      });
    },
    markPublished(eventId) {
      published.push(eventId);
      schedule();
    },
    markDispatched(eventId) {
      dispatched.push(eventId);
      schedule();
    },
    async drain() {
      while (writing !== undefined) await writing;
    },
  };
}
