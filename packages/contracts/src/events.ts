import { z } from "zod";
import { PluginIdSchema } from "./registry.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/**
 * Where an event received through a webhook stands: `pending` once it is stored and
 * acknowledged, `published` once the event bus accepted it. A pending event is published
 * again when the control plane starts.
 */
export const INGRESS_EVENT_STATUSES = ["pending", "published"] as const;
export const IngressEventStatusSchema = z.enum(INGRESS_EVENT_STATUSES);
export type IngressEventStatus = z.infer<typeof IngressEventStatusSchema>;

/**
 * An event an ingress adapter received, as the event bus carries it (`id`, `type`,
 * `version`, `time`, `source`, `correlationId`, `data`) plus where it stands.
 */
export const IngressEventSchema = z.strictObject({
  /** The host's id of the event; a webhook acknowledgement names it. */
  id: z.string().min(1),
  /** `route.<route kind>`, such as `route.forward_email`. */
  type: z.string().min(1),
  /** The version of `data`'s shape for this type. */
  version: z.int().min(1),
  /** When the webhook arrived. */
  time: z.iso.datetime({ offset: true }),
  /** The ingress adapter that received it. */
  source: PluginIdSchema,
  /** Carried by everything that follows from this event. */
  correlationId: z.string().min(1),
  /** The provider's own id of the event, which makes a redelivery a duplicate. */
  providerEventId: z.string().min(1),
  status: IngressEventStatusSchema,
  publishedAt: z.iso.datetime({ offset: true }).nullable(),
  /** The route event's payload, as the adapter normalised it. */
  data: z.json(),
});
export type IngressEvent = z.infer<typeof IngressEventSchema>;

/** A page of received events, newest first; filters narrow it. */
export const EventListQuerySchema = z.strictObject({
  /** `next_cursor` of the previous page; omitted for the newest page. */
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "expected a next_cursor value from an earlier page" })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Only events this ingress adapter received. */
  plugin: PluginIdSchema.optional(),
  status: IngressEventStatusSchema.optional(),
});
export type EventListQuery = z.infer<typeof EventListQuerySchema>;

export const EventListResponseSchema = z.strictObject({
  events: z.array(IngressEventSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type EventListResponse = z.infer<typeof EventListResponseSchema>;

/**
 * The answer to an accepted webhook (`POST /webhooks/{pluginId}`): 202 for a new event,
 * 200 with `duplicate: true` and the first delivery's event id for a redelivery.
 */
export const WebhookAcknowledgementSchema = z.strictObject({
  eventId: z.string().min(1),
  duplicate: z.boolean(),
});
export type WebhookAcknowledgement = z.infer<typeof WebhookAcknowledgementSchema>;

export const EventListQueryWireSchema: WireSchema<typeof EventListQuerySchema> =
  toWireSchema(EventListQuerySchema);
export const EventListResponseWireSchema: WireSchema<typeof EventListResponseSchema> =
  toWireSchema(EventListResponseSchema);
export const WebhookAcknowledgementWireSchema: WireSchema<typeof WebhookAcknowledgementSchema> =
  toWireSchema(WebhookAcknowledgementSchema);
