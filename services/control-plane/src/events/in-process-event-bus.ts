import type { EventBus, EventHandler } from "./event-bus.js";
import type { EventEnvelope } from "./event-envelope.js";
import { assertSubjectPattern, subjectMatches } from "./subject-pattern.js";

/** Called when a handler throws or rejects; the handler's later events still arrive. */
export type HandlerErrorReporter = (error: unknown, event: EventEnvelope, pattern: string) => void;

interface Subscriber {
  readonly pattern: string;
  readonly handler: EventHandler;
  /** The last delivery queued for this subscriber; each waits for the one before. */
  tail: Promise<void>;
}

/** Resolves on a later turn of the event loop, after the publisher has gone on. */
const laterTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Thrown by `publish` after `close`. */
export class EventBusClosedError extends Error {
  constructor() {
    super("the event bus is closed");
    this.name = "EventBusClosedError";
  }
}

/**
 * The event bus inside one process. `publish` queues the event for every matching
 * subscriber and resolves; each subscriber's handler then runs on a later turn of the event
 * loop (a slow handler never holds up the publisher), once per event, in publish order, one
 * at a time. Nothing survives the process: the caller keeps what must not be lost
 * (ingress events are stored, and published again at start until the bus accepted them).
 */
export function createInProcessEventBus(reportHandlerError: HandlerErrorReporter): EventBus {
  const subscribers = new Set<Subscriber>();
  let closed = false;
  return {
    async publish(event) {
      if (closed) throw new EventBusClosedError();
      for (const subscriber of subscribers) {
        if (!subjectMatches(subscriber.pattern, event.type)) continue;
        subscriber.tail = subscriber.tail
          .then(laterTurn)
          .then(() => subscriber.handler(event))
          .catch((error: unknown) => reportHandlerError(error, event, subscriber.pattern));
      }
    },
    async subscribe(pattern, handler) {
      assertSubjectPattern(pattern);
      const subscriber: Subscriber = { pattern, handler, tail: Promise.resolve() };
      subscribers.add(subscriber);
      return {
        async unsubscribe() {
          subscribers.delete(subscriber);
          await subscriber.tail;
        },
      };
    },
    async close() {
      closed = true;
      await Promise.all([...subscribers].map((subscriber) => subscriber.tail));
      subscribers.clear();
    },
  };
}
