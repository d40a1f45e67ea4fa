import { createHash } from "node:crypto";
import type { WebhookAcknowledgement } from "@plugboard/contracts";
import type { EventEnvelope } from "../events/event-envelope.js";
import { newEventId } from "../events/event-id.js";
import { routeEventType } from "../events/route-events.js";
import { ApiError } from "../http/problem-handler.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import {
  authenticateWebhook,
  type WebhookAuthenticator,
  type WebhookRequest,
} from "./authenticate-webhook.js";
import { findEnabledIngressAdapter } from "./ingress-adapters.js";
import type { IngressEventPublisher } from "./ingress-event-publisher.js";
import type { IngressEventWriter } from "./ingress-event-writer.js";
import { type IngressPipeline, runIngressPipeline } from "./ingress-pipeline.js";
import { normalizerFor } from "./normalizers/index.js";
import { deliveryHeaders } from "./webhook-delivery.js";

/** What receiving a webhook needs, built once by the composition root. */
export interface WebhookReceiver {
  readonly registry: RegistryCache;
  readonly writer: IngressEventWriter;
  readonly authenticator: WebhookAuthenticator;
  readonly pipeline: IngressPipeline;
  readonly publisher: IngressEventPublisher;
}

/**
 * Receives one webhook for `pluginId`: finds the enabled ingress adapter (404 otherwise),
 * authenticates the request as its manifest declares, runs the ingress pipeline, normalises
 * the payload into a route event, stores it once per provider event id, and publishes it.
 * The event is committed before this resolves, so an acknowledged event is never lost; a
 * duplicate resolves with the first delivery's event id and publishes nothing.
 */
export async function receiveWebhook(
  receiver: WebhookReceiver,
  pluginId: string,
  request: WebhookRequest,
): Promise<WebhookAcknowledgement> {
  const adapter = await findEnabledIngressAdapter(receiver.registry, pluginId);
  if (adapter === undefined) {
    throw new ApiError("PLUGBOARD_NOT_FOUND", `no enabled ingress adapter has id ${pluginId}`);
  }
  const authenticated = await authenticateWebhook(receiver.authenticator, adapter, request);
  const normalizer = normalizerFor(adapter);
  const delivery = await runIngressPipeline(receiver.pipeline, {
    adapter,
    headers: deliveryHeaders(request.headers),
    contentType: request.contentType,
    body: request.body,
    receivedAt: request.receivedAt,
    clientIp: request.clientIp,
  });
  const payload = normalizer.normalize(delivery);
  // A payload without an id of its own is identified by its bytes: a redelivery of the same
  // body is the same event.
  const providerEventId =
    authenticated.providerEventId ??
    payload.providerEventId ??
    `sha256:${createHash("sha256").update(request.body).digest("hex")}`;
  const id = newEventId();
  const event: EventEnvelope = {
    id,
    type: routeEventType(normalizer.routeKind),
    version: normalizer.version,
    time: request.receivedAt.toISOString(),
    source: adapter.id,
    // A webhook starts a chain of work; everything that follows carries its event's id.
    correlationId: id,
    data: payload.data,
  };
  const recorded = await receiver.writer.record(event, providerEventId);
  if (!recorded.duplicate) await receiver.publisher.publish(event);
  return recorded;
}
