import type { IngressAdapterManifest } from "@plugboard/plugin-sdk";
import { ApiError } from "../http/problem-handler.js";
import { parseWebhookTimestamp, withinReplayWindow } from "./replay-window.js";
import { presentedToken, tokenMatches } from "./shared-token.js";
import {
  STANDARD_WEBHOOK_HEADERS,
  standardWebhookKey,
  standardWebhookSignatureMatches,
} from "./standard-webhooks.js";
import type { WebhookSecrets } from "./webhook-secret.js";

export interface WebhookAuthenticator {
  readonly secrets: WebhookSecrets;
}

/** A webhook as the route received it: its headers (lower-case names) and exact body. */
export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly contentType: string;
  readonly body: Buffer;
  readonly receivedAt: Date;
  /** The sender's address as the server saw it. */
  readonly clientIp?: string;
  /** The query of a GET redirect (an OAuth callback); undefined for a POST. */
  readonly query?: URLSearchParams;
}

/** What authentication learnt about the event's id. */
export interface AuthenticatedWebhook {
  /** The provider's event id, when the scheme vouches for it (a signed `webhook-id`). */
  readonly providerEventId: string | undefined;
  /**
   * An id the request names without authenticating it: a `webhook-id` header beside a shared
   * token, which anyone replaying the request can change. Used only when the payload carries
   * no id of its own.
   */
  readonly claimedEventId: string | undefined;
}

const EVENT_ID = /^[\x21-\x7e]{1,255}$/;

function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(" ") : value;
}

/** The Standard Webhooks `webhook-id`, when sent; 400 when it is not a usable id. */
function webhookId(request: WebhookRequest): string | undefined {
  const id = header(request, STANDARD_WEBHOOK_HEADERS.id);
  if (id === undefined || EVENT_ID.test(id)) return id;
  throw new ApiError("PLUGBOARD_BAD_REQUEST", "the webhook-id header is not a usable event id", [
    {
      path: "headers.webhook-id",
      code: "invalid_event_id",
      message: "expected 1 to 255 printable ASCII characters without spaces",
    },
  ]);
}

/** Refuses a `webhook-timestamp` outside the replay window, or one that is not a timestamp. */
function checkTimestamp(value: string | undefined, receivedAt: Date): void {
  const seconds = parseWebhookTimestamp(value);
  if (seconds !== undefined && withinReplayWindow(seconds, receivedAt)) return;
  throw new ApiError(
    "PLUGBOARD_WEBHOOK_TIMESTAMP_OUT_OF_RANGE",
    "the webhook-timestamp is not within five minutes of the host's clock; a replayed or delayed delivery is refused",
    [
      {
        path: "headers.webhook-timestamp",
        code: seconds === undefined ? "invalid_timestamp" : "stale_timestamp",
        message: "expected Unix seconds within 300 seconds of now",
      },
    ],
  );
}

async function sharedToken(
  auth: WebhookAuthenticator,
  adapter: IngressAdapterManifest,
  request: WebhookRequest,
): Promise<AuthenticatedWebhook> {
  const expected = await auth.secrets.read(adapter);
  const presented = presentedToken(header(request, "authorization"));
  if (presented === undefined || !tokenMatches(presented, expected.digest)) {
    throw new ApiError(
      "PLUGBOARD_WEBHOOK_TOKEN_INVALID",
      `the request does not carry the webhook token of ${adapter.id}`,
      [
        {
          path: "headers.authorization",
          code: presented === undefined ? "token_missing" : "token_mismatch",
          message:
            "expected Authorization: Bearer <token> (or Basic credentials whose password is the token)",
        },
      ],
    );
  }
  // No replay window: a `webhook-timestamp` beside a shared token is signed by nothing, and a
  // replay could change or drop it. A replay is caught by the provider's event id instead.
  return { providerEventId: undefined, claimedEventId: webhookId(request) };
}

async function providerSignature(
  auth: WebhookAuthenticator,
  adapter: IngressAdapterManifest,
  request: WebhookRequest,
): Promise<AuthenticatedWebhook> {
  const id = webhookId(request);
  const timestamp = header(request, STANDARD_WEBHOOK_HEADERS.timestamp);
  const signature = header(request, STANDARD_WEBHOOK_HEADERS.signature);
  if (id === undefined || timestamp === undefined || signature === undefined) {
    const sent: Array<[string, string | undefined]> = [
      [STANDARD_WEBHOOK_HEADERS.id, id],
      [STANDARD_WEBHOOK_HEADERS.timestamp, timestamp],
      [STANDARD_WEBHOOK_HEADERS.signature, signature],
    ];
    const missing = sent.filter(([, value]) => value === undefined).map(([name]) => name);
    throw new ApiError(
      "PLUGBOARD_WEBHOOK_SIGNATURE_INVALID",
      `the request is not signed: ${missing.join(", ")} missing`,
      missing.map((name) => ({
        path: `headers.${name}`,
        code: "header_missing",
        message:
          "expected the Standard Webhooks headers webhook-id, webhook-timestamp and webhook-signature",
      })),
    );
  }
  const key = standardWebhookKey((await auth.secrets.read(adapter)).value);
  if (!standardWebhookSignatureMatches(key, id, timestamp, request.body, signature)) {
    throw new ApiError(
      "PLUGBOARD_WEBHOOK_SIGNATURE_INVALID",
      `no signature in webhook-signature is the body's, signed with the secret of ${adapter.id}`,
      [
        {
          path: "headers.webhook-signature",
          code: "signature_mismatch",
          message: "expected v1,<base64 HMAC-SHA256 of webhook-id.webhook-timestamp.body>",
        },
      ],
    );
  }
  // Checked after the signature, so only the holder of the secret learns about the window.
  checkTimestamp(timestamp, request.receivedAt);
  return { providerEventId: id, claimedEventId: undefined };
}

/**
 * Authenticates a webhook with the scheme its adapter's manifest declares, or throws the
 * problem naming why not: a shared token in the Authorization header, or a Standard Webhooks
 * signature within the replay window. Credentials are compared in constant time and never
 * logged. OAuth callbacks are authenticated by their state (`receive-oauth-callback.ts`).
 */
export async function authenticateWebhook(
  auth: WebhookAuthenticator,
  adapter: IngressAdapterManifest,
  scheme: "shared_token" | "provider_signature",
  request: WebhookRequest,
): Promise<AuthenticatedWebhook> {
  switch (scheme) {
    case "shared_token":
      return sharedToken(auth, adapter, request);
    case "provider_signature":
      return providerSignature(auth, adapter, request);
    default: {
      const exhaustive: never = scheme;
      return exhaustive;
    }
  }
}
