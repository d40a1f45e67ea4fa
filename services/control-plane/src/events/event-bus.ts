import type { EventEnvelope } from "./event-envelope.js";

/** Receives the events whose type a subscription's pattern matches. */
export type EventHandler = (event: EventEnvelope) => void | Promise<void>;

export interface EventSubscription {
  /** Stops delivery of later events; resolves once those published before are handled. */
  unsubscribe(): Promise<void>;
}

/**
 * Carries events between parts of the control plane. The control plane ships one
 * implementation, the in-process bus (`in-process-event-bus.ts`), and reads no setting that
 * picks another; a bus shared by several processes, such as NATS JetStream, would implement
 * this interface and be passed to `buildControlPlane` as `eventBus`. Delivery is at least
 * once — an event may arrive again after a restart — so a consumer that must act once
 * deduplicates on `id`.
 */
export interface EventBus {
  /**
   * Resolves once the bus has accepted the event: for the in-process bus, queued for every
   * matching subscription (a stream-backed bus would resolve once the stream stored it).
   * Handlers run after it resolves.
   */
  publish(event: EventEnvelope): Promise<void>;
  /**
   * Delivers each event whose `type` the subject `pattern` matches: dot-separated tokens, `*`
   * matches one token and a final `>` one or more (`route.*`, `route.>`), the grammar of
   * `event:subscribe:` permissions. Events reach one handler in the order they were published.
   */
  subscribe(pattern: string, handler: EventHandler): Promise<EventSubscription>;
  /** Refuses new events, waits for the handlers of those already accepted, then stops. */
  close(): Promise<void>;
}
