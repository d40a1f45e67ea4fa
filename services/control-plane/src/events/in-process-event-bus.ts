import type { EventBus, EventHandler } from "./event-bus.js";
import type { EventEnvelope } from "./event-envelope.js";
import { assertSubjectPattern, subjectMatches } from "./subject-pattern.js";

/** Called when a handler throws or rejects; the handler's later events still arrive. */
export type HandlerErrorReporter = (error: unknown, event: EventEnvelope, pattern: string) => void;

interface Subscriber {
  readonly pattern: string;
  readonly handler: EventHandler;
  /** Events published for this subscriber and not yet handed to its handler, oldest first. */
  readonly queue: EventEnvelope[];
  /** Hands the queued events over one at a time; undefined while nothing is queued. */
  delivering: Promise<void> | undefined;
  /** Whether the pattern matches an event type, for the types seen so far. */
  readonly matches: Map<string, boolean>;
}

/** Event types whose match is remembered per subscriber; a few kinds recur. */
const REMEMBERED_TYPES = 256;

function matches(subscriber: Subscriber, type: string): boolean {
  const known = subscriber.matches.get(type);
  if (known !== undefined) return known;
  const matched = subjectMatches(subscriber.pattern, type);
  if (subscriber.matches.size >= REMEMBERED_TYPES) subscriber.matches.clear();
  subscriber.matches.set(type, matched);
  return matched;
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

  // One turn is waited per run of queued events, not per event: the events published in the
  // same turn (a group of webhooks committed together) reach the handler in one turn, so what
  // it writes in turn (their dispatch marks) joins one transaction instead of one each.
  const deliver = async (subscriber: Subscriber) => {
    await laterTurn();
    for (let event = subscriber.queue.shift(); event !== undefined; ) {
      try {
        await subscriber.handler(event);
      } catch (error) {
        reportHandlerError(error, event, subscriber.pattern);
      }
      event = subscriber.queue.shift();
    }
  };
  const startDelivery = (subscriber: Subscriber) => {
    const run = deliver(subscriber);
    subscriber.delivering = run;
    // A run rejects only when the error reporter throws; that reaches `unsubscribe` and
    // `close`, and the events still queued are delivered by the next run.
    const next = () => {
      subscriber.delivering = undefined;
      if (subscriber.queue.length > 0) startDelivery(subscriber);
    };
    run.then(next, next);
  };
  const delivered = async (subscriber: Subscriber) => {
    while (subscriber.delivering !== undefined) await subscriber.delivering;
  };

  return {
    async publish(event) {
      if (closed) throw new EventBusClosedError();
      for (const subscriber of subscribers) {
        if (!matches(subscriber, event.type)) continue;
        subscriber.queue.push(event);
        if (subscriber.delivering === undefined) startDelivery(subscriber);
      }
    },
    async subscribe(pattern, handler) {
      assertSubjectPattern(pattern);
      const subscriber: Subscriber = {
        pattern,
        handler,
        queue: [],
        delivering: undefined,
        matches: new Map(),
      };
      subscribers.add(subscriber);
      return {
        async unsubscribe() {
          subscribers.delete(subscriber);
          await delivered(subscriber);
        },
      };
    },
    async close() {
      closed = true;
      await Promise.all([...subscribers].map(delivered));
      subscribers.clear();
    },
  };
}
