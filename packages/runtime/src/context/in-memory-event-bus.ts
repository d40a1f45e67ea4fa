import { subjectCovers } from "@plugboard/plugin-sdk";
import type { BusEvent, EventBus } from "./context-services.js";

interface Subscriber {
  readonly pattern: string;
  readonly handler: (event: BusEvent) => void | Promise<void>;
  /** The last delivery queued for this subscriber; each waits for the one before. */
  tail: Promise<void>;
  active: boolean;
}

/**
 * An event bus inside one process, for tests and hosts without one of their own: `publish`
 * queues the event for every subscriber whose pattern matches its `type` and resolves; each
 * subscriber gets its events one at a time, in publish order. A handler's failure goes to
 * `onHandlerError` and does not stop later deliveries.
 */
export function createInMemoryEventBus(
  onHandlerError: (error: unknown, event: BusEvent) => void = () => {},
): EventBus & { idle(): Promise<void> } {
  const subscribers = new Set<Subscriber>();
  return {
    async publish(event) {
      for (const subscriber of subscribers) {
        if (!subjectCovers(subscriber.pattern, event.type)) continue;
        subscriber.tail = subscriber.tail
          .then(() => (subscriber.active ? subscriber.handler(event) : undefined))
          .catch((error: unknown) => onHandlerError(error, event));
      }
    },
    async subscribe(pattern, handler) {
      const subscriber: Subscriber = { pattern, handler, tail: Promise.resolve(), active: true };
      subscribers.add(subscriber);
      return {
        async unsubscribe() {
          subscriber.active = false;
          subscribers.delete(subscriber);
          await subscriber.tail;
        },
      };
    },
    /** Resolves when every delivery queued so far has finished. */
    async idle() {
      await Promise.all([...subscribers].map((subscriber) => subscriber.tail));
    },
  };
}
