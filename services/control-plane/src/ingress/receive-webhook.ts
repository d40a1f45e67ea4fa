import { createHash } from "node:crypto";
import type { WebhookAcknowledgement } from "@plugboard/contracts";
import type { IngressAdapterManifest, JsonValue } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import { newRouteEvent } from "../events/route-events.js";
import { ApiError } from "../http/problem-handler.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { SecretVault } from "../secrets/secret-vault.js";
import type { Schema } from "../store/schema.js";
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
import { receiveOAuthCallback } from "./receive-oauth-callback.js";
import { deliveryHeaders, type WebhookDelivery } from "./webhook-delivery.js";

/** What receiving a webhook needs, built once by the composition root. */
export interface WebhookReceiver {
  readonly registry: RegistryCache;
  readonly writer: IngressEventWriter;
  readonly authenticator: WebhookAuthenticator;
  readonly pipeline: IngressPipeline;
  readonly publisher: IngressEventPublisher;
  /** Where OAuth states are checked and callbacks' authorisation codes stored, sealed. */
  readonly db: Kysely<Schema>;
  readonly vault: SecretVault;
  /** Runs the `normalize` handler of an adapter whose runtime is plugin code. */
  readonly normalizeWithCode: (
    adapter: IngressAdapterManifest,
    delivery: WebhookDelivery,
  ) => Promise<readonly CodeNormalizedEvent[]>;
}

/** An event a code adapter made of a delivery: its route kind, provider id and data. */
export interface CodeNormalizedEvent {
  readonly routeKind: string;
  readonly providerEventId: string;
  readonly data: JsonValue;
}

/**
 * Stores each event a code adapter made once per provider event id and publishes the new
 * ones. The acknowledgement names the first event; it is a duplicate when every event was.
 */
async function recordCodeEvents(
  receiver: WebhookReceiver,
  adapter: IngressAdapterManifest,
  delivery: WebhookDelivery,
): Promise<WebhookAcknowledgement> {
  const normalized = await receiver.normalizeWithCode(adapter, delivery);
  const events = normalized.map((item) => ({
    providerEventId: item.providerEventId,
    envelope: newRouteEvent(adapter.id, delivery.receivedAt, {
      routeKind: item.routeKind,
      version: 1,
      data: item.data,
    }),
  }));
  const recorded = await Promise.all(
    events.map((item) => receiver.writer.record(item.envelope, item.providerEventId)),
  );
  for (const [index, item] of events.entries()) {
    if (recorded[index]?.duplicate === false) await receiver.publisher.publish(item.envelope);
  }
  const [first] = recorded;
  if (first === undefined) throw new Error(`${adapter.id} made no event`);
  return { eventId: first.eventId, duplicate: recorded.every((item) => item.duplicate) };
}

/**
 * Receives one webhook for `pluginId`: finds the enabled ingress adapter (404 otherwise),
 * hands an OAuth callback to `receiveOAuthCallback`, otherwise authenticates the request as
 * its manifest declares, runs the ingress pipeline, normalises
 * the payload into a route event (an adapter with a code runtime may make several), stores
 * it once per provider event id, and publishes it.
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
  const scheme = adapter.authentication;
  if (scheme === "oauth_callback") return receiveOAuthCallback(receiver, adapter, request);
  if (request.query !== undefined) {
    throw new ApiError(
      "PLUGBOARD_NOT_FOUND",
      `${pluginId} receives webhooks with POST; only an oauth_callback adapter takes a GET redirect`,
    );
  }
  const authenticated = await authenticateWebhook(receiver.authenticator, adapter, scheme, request);
  const code = adapter.runtime?.type === "module";
  const normalizer = code ? undefined : normalizerFor(adapter);
  const delivery = await runIngressPipeline(receiver.pipeline, {
    adapter,
    headers: deliveryHeaders(request.headers),
    contentType: request.contentType,
    body: request.body,
    receivedAt: request.receivedAt,
    clientIp: request.clientIp,
  });
  if (normalizer === undefined) return recordCodeEvents(receiver, adapter, delivery);
  const payload = normalizer.normalize(delivery);
  // An authenticated id first, then the provider's own id in the payload (Postmark's
  // MessageID), then an id the request merely names; a payload without any is identified by
  // its bytes, so a redelivery of the same body is the same event.
  const providerEventId =
    authenticated.providerEventId ??
    payload.providerEventId ??
    authenticated.claimedEventId ??
    `sha256:${createHash("sha256").update(request.body).digest("hex")}`;
  const event = newRouteEvent(adapter.id, request.receivedAt, {
    routeKind: normalizer.routeKind,
    version: normalizer.version,
    data: payload.data,
  });
  const recorded = await receiver.writer.record(event, providerEventId);
  if (!recorded.duplicate) await receiver.publisher.publish(event);
  return recorded;
}
