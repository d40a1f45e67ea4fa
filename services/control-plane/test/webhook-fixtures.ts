import { randomBytes } from "node:crypto";
import { WebhookAcknowledgementWireSchema } from "@plugboard/contracts";
import type { EventBus } from "../src/events/event-bus.js";
import type { EventEnvelope } from "../src/events/event-envelope.js";
import { createInProcessEventBus } from "../src/events/in-process-event-bus.js";
import { signStandardWebhook, standardWebhookKey } from "../src/ingress/standard-webhooks.js";
import type { RunningControlPlane } from "./running-control-plane.js";
import { firstPartyCopy } from "./third-party-manifests.js";

export const POSTMARK = "ingress.postmark.forward-email";
export const GMAIL = "ingress.gmail.watch-hook";
export const SIGNED = "ingress.acme.signed-orders";
export const OAUTH = "ingress.acme.oauth-return";

/** A Postmark inbound webhook body. */
export function postmarkMessage(messageId: string, subject = "Fwd: the Q3 proposal") {
  return JSON.stringify({
    MessageID: messageId,
    FromFull: { Email: "ana@example.com", Name: "Ana Lima", MailboxHash: "" },
    ToFull: [{ Email: "inbound@example.net", Name: "", MailboxHash: "" }],
    CcFull: [],
    Subject: subject,
    Date: "Sat, 1 Mar 2025 12:00:00 +0000",
    TextBody: "Could you follow up with them next week?",
    HtmlBody: "<p>Could you follow up with them next week?</p>",
    StrippedTextReply: "Could you follow up with them next week?",
    Attachments: [],
  });
}

/** A Pub/Sub push request carrying a Gmail watch notification. */
export function gmailPush(messageId: string, historyId: number) {
  const notification = { emailAddress: "team@example.com", historyId };
  return JSON.stringify({
    message: {
      data: Buffer.from(JSON.stringify(notification)).toString("base64"),
      messageId,
      publishTime: "2025-03-01T11:59:58.123Z",
    },
    subscription: "projects/acme/subscriptions/gmail-watch",
  });
}

/** A third-party adapter without code whose provider signs with Standard Webhooks. */
export function signedOrdersAdapter() {
  return {
    ...firstPartyCopy(POSTMARK),
    id: SIGNED,
    displayName: "Acme signed orders",
    description: "Receives order events signed with the Standard Webhooks scheme.",
    owner: "third_party",
    stability: "experimental",
    adapterKind: "generic_webhook",
    authentication: "provider_signature",
    normalizedInputRouteKinds: ["acme_order"],
    secretKeys: ["acme_signing_secret"],
    setupSteps: [],
  };
}

/**
 * A third-party adapter without code that receives OAuth callbacks. It declares the secret
 * the host stores each callback's authorisation code as, so the secrets API shows it.
 */
export function oauthReturnAdapter(id = OAUTH) {
  return {
    ...signedOrdersAdapter(),
    id,
    displayName: "Acme OAuth return",
    description: "Receives the authorisation code Acme sends back after consent.",
    authentication: "oauth_callback",
    normalizedInputRouteKinds: ["acme_authorization"],
    secretKeys: ["oauth_authorization_code"],
  };
}

/** A fresh `whsec_` signing secret. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** The Standard Webhooks headers for `body`, signed now (or at `timestamp`). */
export function standardWebhookHeaders(
  secret: string,
  id: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const seconds = String(timestamp);
  return {
    "webhook-id": id,
    "webhook-timestamp": seconds,
    "webhook-signature": signStandardWebhook(standardWebhookKey(secret), id, seconds, body),
  };
}

export interface WebhookCall {
  readonly body: string;
  readonly headers?: Record<string, string>;
  readonly contentType?: string;
  /** Appended to the URL as given, e.g. `?token=…`. */
  readonly query?: string;
}

/** Stores the Postmark adapter's shared token, as an operator does before deliveries arrive. */
export async function storePostmarkToken(
  server: RunningControlPlane,
  token: string,
): Promise<void> {
  const response = await server.request("PUT", `/v1/plugins/${POSTMARK}/secrets`, {
    body: { secrets: { postmark_inbound_token: token } },
  });
  if (response.status !== 200) {
    throw new Error(
      `storing the Postmark token answered ${response.status}: ${await response.text()}`,
    );
  }
}

/** Posts a webhook as a provider would: no API token, only the headers given. */
export function sendWebhook(
  server: RunningControlPlane,
  pluginId: string,
  call: WebhookCall,
): Promise<Response> {
  return server.request("POST", `/webhooks/${pluginId}${call.query ?? ""}`, {
    token: null,
    body: call.body,
    contentType: call.contentType ?? "application/json",
    headers: call.headers ?? {},
  });
}

/** The acknowledgement of an accepted webhook. */
export async function acknowledgement(response: Response) {
  return WebhookAcknowledgementWireSchema.parse(await response.json());
}

/**
 * An in-process event bus with a subscriber on `route.>` that records every delivery, so a
 * test sees what the server published.
 */
export interface RecordingBus {
  readonly bus: EventBus;
  readonly deliveries: EventEnvelope[];
  /** Resolves with the delivery of event `id`, at once when it already arrived. */
  delivered(id: string): Promise<EventEnvelope>;
  /** How many times event `id` was delivered. */
  count(id: string): number;
}

export async function recordingBus(): Promise<RecordingBus> {
  const bus = createInProcessEventBus((error) => {
    throw error;
  });
  const deliveries: EventEnvelope[] = [];
  const waiting = new Map<string, Array<(event: EventEnvelope) => void>>();
  await bus.subscribe("route.>", (event) => {
    deliveries.push(event);
    for (const resolve of waiting.get(event.id) ?? []) resolve(event);
    waiting.delete(event.id);
  });
  return {
    bus,
    deliveries,
    delivered(id) {
      const found = deliveries.find((event) => event.id === id);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiting.set(id, [...(waiting.get(id) ?? []), resolve]));
    },
    count: (id) => deliveries.filter((event) => event.id === id).length,
  };
}
