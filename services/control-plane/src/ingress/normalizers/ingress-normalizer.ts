import type { JsonValue } from "@plugboard/plugin-sdk";
import type { WebhookDelivery } from "../webhook-delivery.js";

/** What a delivery becomes: the route event's data and, when the payload has one, its id. */
export interface NormalizedPayload {
  /** The provider's own id of the event, read from the payload. */
  readonly providerEventId: string | undefined;
  readonly data: JsonValue;
}

/**
 * Turns an adapter's deliveries into route events of one kind. Declared independently of
 * the adapter's manifest; a test checks the manifest lists `routeKind`.
 */
export interface IngressNormalizer {
  readonly routeKind: string;
  /** The version of the data's shape, the envelope's `version`. */
  readonly version: number;
  /** Parses the payload; throws a 400 or 422 problem naming what is wrong with it. */
  normalize(delivery: WebhookDelivery): NormalizedPayload;
}
