import { INPUT_ROUTE_KINDS, type JsonValue } from "@plugboard/plugin-sdk";
import { z } from "zod";
import type { EventEnvelope } from "./event-envelope.js";
import { newEventId } from "./event-id.js";

/**
 * The event type of a route event: `route.<route kind>`. Workers subscribe to the route
 * kinds of their input routes (`route.forward_email`) or to all of them (`route.>`).
 */
export function routeEventType(routeKind: string): string {
  return `route.${routeKind}`;
}

/**
 * A new route event an ingress adapter (`source`) received at `receivedAt`. It starts a chain
 * of work: everything that follows carries its id as the correlation id.
 */
export function newRouteEvent(
  source: string,
  receivedAt: Date,
  event: { readonly routeKind: string; readonly version: number; readonly data: JsonValue },
): EventEnvelope {
  const id = newEventId();
  return {
    id,
    type: routeEventType(event.routeKind),
    version: event.version,
    time: receivedAt.toISOString(),
    source,
    correlationId: id,
    data: event.data,
  };
}

const MailboxSchema = z.strictObject({ email: z.string(), name: z.string() });

/**
 * `route.forward_email`, version 1: a message forwarded to an inbound address. Attachments
 * are described, not carried.
 */
export const ForwardEmailDataSchema = z.strictObject({
  messageId: z.string().min(1),
  from: MailboxSchema,
  to: z.array(MailboxSchema),
  cc: z.array(MailboxSchema),
  replyTo: z.string(),
  subject: z.string(),
  /** As the message's Date header gives it. */
  date: z.string(),
  textBody: z.string(),
  htmlBody: z.string(),
  /** The text of the reply without the quoted message, when the provider extracts it. */
  strippedTextReply: z.string(),
  attachments: z.array(
    z.strictObject({
      name: z.string(),
      contentType: z.string(),
      contentLength: z.int().min(0),
    }),
  ),
});
export type ForwardEmailData = z.infer<typeof ForwardEmailDataSchema>;

/**
 * `route.watched_inbox`, version 1: a watched mailbox changed. It names the mailbox and the
 * history position changes are to be read from; it carries no message, and nothing in the
 * control plane fetches the messages.
 */
export const WatchedInboxDataSchema = z.strictObject({
  emailAddress: z.string().min(1),
  historyId: z.string().regex(/^\d+$/),
  /** When the provider published the notification. */
  publishedAt: z.string(),
});
export type WatchedInboxData = z.infer<typeof WatchedInboxDataSchema>;

/** The route events whose data has a schema here, by route kind, with their version. */
export const ROUTE_EVENT_DATA = {
  [INPUT_ROUTE_KINDS.forwardEmail]: { version: 1, schema: ForwardEmailDataSchema },
  [INPUT_ROUTE_KINDS.watchedInbox]: { version: 1, schema: WatchedInboxDataSchema },
} as const;
