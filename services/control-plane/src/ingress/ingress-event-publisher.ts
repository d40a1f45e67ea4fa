import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { EventBus } from "../events/event-bus.js";
import type { EventEnvelope } from "../events/event-envelope.js";
import type { Schema } from "../store/schema.js";
import { pendingIngressEvents } from "./ingress-event-store.js";
import type { IngressEventWriter } from "./ingress-event-writer.js";

/** Pending events are read and published in batches of this many at start. */
const PENDING_BATCH = 500;

/**
 * Hands stored ingress events to the event bus and records which ones it accepted. An event
 * the bus refused stays `pending` and is published again at the next start; one published
 * just before a crash, before it was marked, is published again too (the bus is at least
 * once; consumers deduplicate on the event id).
 */
export interface IngressEventPublisher {
  /** Publishes a stored event and queues its mark. Never throws: a refusal is logged. */
  publish(event: EventEnvelope): Promise<boolean>;
  /** Publishes every pending event, oldest first, until one fails; returns how many went. */
  publishPending(): Promise<number>;
}

export function createIngressEventPublisher(
  db: Kysely<Schema>,
  writer: IngressEventWriter,
  bus: EventBus,
  log: Pick<FastifyBaseLogger, "warn">,
): IngressEventPublisher {
  const publish = async (event: EventEnvelope): Promise<boolean> => {
    try {
      await bus.publish(event);
    } catch (error) {
      log.warn(
        { err: error, eventId: event.id, source: event.source },
        "the event bus refused an ingress event; it stays pending and is published again at start",
      );
      return false;
    }
    writer.markPublished(event.id);
    return true;
  };
  return {
    publish,
    async publishPending() {
      let count = 0;
      for (;;) {
        const batch = await pendingIngressEvents(db, PENDING_BATCH);
        for (const event of batch) {
          if (!(await publish(event))) {
            await writer.drain();
            return count;
          }
          count++;
        }
        // Marked before the next read, which would otherwise return these events again.
        await writer.drain();
        if (batch.length < PENDING_BATCH) return count;
      }
    },
  };
}
