import type { WebhookAcknowledgement } from "@plugboard/contracts";
import type { IngressAdapterManifest, JsonValue } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import { newEventId } from "../events/event-id.js";
import { routeEventType } from "../events/route-events.js";
import { ApiError } from "../http/problem-handler.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { SecretVault } from "../secrets/secret-vault.js";
import type { Schema } from "../store/schema.js";
import type { WebhookRequest } from "./authenticate-webhook.js";
import type { IngressEventPublisher } from "./ingress-event-publisher.js";
import type { IngressEventWriter } from "./ingress-event-writer.js";
import { type IngressPipeline, runIngressPipeline } from "./ingress-pipeline.js";
import { checkOAuthState, type OAuthStateRefusal, redeemOAuthState } from "./oauth-states.js";
import { bodyFields, parseJsonBody } from "./webhook-body.js";
import { deliveryHeaders } from "./webhook-delivery.js";

/** What receiving an OAuth callback needs beside the ordinary webhook parts. */
export interface OAuthCallbackReceiver {
  readonly db: Kysely<Schema>;
  readonly vault: SecretVault;
  readonly registry: RegistryCache;
  readonly writer: IngressEventWriter;
  readonly pipeline: IngressPipeline;
  readonly publisher: IngressEventPublisher;
}

/**
 * The parameters of an authorisation response (RFC 6749 §4.1.2, RFC 9207) that are kept in
 * the route event, by their name in the event's data. `code` and `state` never are; any
 * other parameter is dropped.
 */
const KEPT_PARAMETERS = {
  scope: "scope",
  iss: "iss",
  error: "error",
  error_description: "errorDescription",
  error_uri: "errorUri",
} as const;

const MESSAGES: Readonly<Record<OAuthStateRefusal | "state_missing", string>> = {
  state_missing: "expected the state issued by POST /v1/plugins/{id}/oauth-states",
  state_unknown: "expected a state this host issued; this one was never issued",
  state_mismatch: "expected a state issued for this adapter; this one is another adapter's",
  state_expired: "expected an unexpired state; start the authorisation again",
  state_used: "expected an unused state; a callback already used this one",
};

function refuse(adapter: IngressAdapterManifest, where: string, reason: keyof typeof MESSAGES) {
  return new ApiError(
    "PLUGBOARD_WEBHOOK_STATE_INVALID",
    `the callback does not carry a usable state for ${adapter.id}`,
    [{ path: `${where}.state`, code: reason, message: MESSAGES[reason] }],
  );
}

/** The callback's parameters: the redirect's query, or a posted form or JSON object. */
function callbackFields(request: WebhookRequest): {
  readonly where: "query" | "body";
  readonly fields: Readonly<Record<string, unknown>>;
} {
  if (request.query === undefined) {
    return { where: "body", fields: bodyFields(request.contentType, request.body) ?? {} };
  }
  const fields: Record<string, string> = {};
  for (const name of new Set(request.query.keys())) {
    const values = request.query.getAll(name);
    if (values.length > 1) {
      throw new ApiError("PLUGBOARD_BAD_REQUEST", `the callback repeats the ${name} parameter`, [
        { path: `query.${name}`, code: "repeated", message: "expected the parameter once" },
      ]);
    }
    fields[name] = values[0] ?? "";
  }
  return { where: "query", fields };
}

/**
 * Receives an OAuth callback for an `oauth_callback` adapter: the authorisation server's
 * redirect (`GET` with `code` and `state` in the query) or a `form_post` response. The state
 * must be one the host issued for this adapter, unexpired and unused. Ingress hooks see the
 * callback without its code; then the state is used up and the code stored sealed as the
 * adapter's `oauth_authorization_code` secret, in one transaction; then the route event is
 * stored and published, carrying `stateId` and `codeReceived` but never the code or state.
 */
export async function receiveOAuthCallback(
  receiver: OAuthCallbackReceiver,
  adapter: IngressAdapterManifest,
  request: WebhookRequest,
): Promise<WebhookAcknowledgement> {
  const { where, fields } = callbackFields(request);
  const { state, code } = fields;
  if (typeof state !== "string" || state === "") throw refuse(adapter, where, "state_missing");
  const check = await checkOAuthState(receiver.db, adapter.id, state, request.receivedAt);
  if (!check.accepted) throw refuse(adapter, where, check.reason);
  const data: Record<string, JsonValue> = {
    stateId: check.id,
    codeReceived: typeof code === "string" && code !== "",
  };
  for (const [name, key] of Object.entries(KEPT_PARAMETERS)) {
    const value = fields[name];
    if (typeof value === "string") data[key] = value;
  }
  const delivery = await runIngressPipeline(receiver.pipeline, {
    adapter,
    headers: deliveryHeaders(request.headers),
    contentType: "application/json",
    body: Buffer.from(JSON.stringify(data)),
    receivedAt: request.receivedAt,
    clientIp: request.clientIp,
  });
  const redeemed = await redeemOAuthState(receiver.db, receiver.vault, {
    pluginId: adapter.id,
    state,
    code: typeof code === "string" && code !== "" ? code : undefined,
    now: request.receivedAt,
  });
  if (!redeemed.accepted) throw refuse(adapter, where, redeemed.reason);
  // A stored secret can complete setup steps, which the registry reports.
  if (data.codeReceived === true) receiver.registry.invalidate();
  const id = newEventId();
  const [routeKind = ""] = adapter.normalizedInputRouteKinds;
  const event = {
    id,
    type: routeEventType(routeKind),
    version: 1,
    time: request.receivedAt.toISOString(),
    source: adapter.id,
    correlationId: id,
    data: parseJsonBody(delivery.body),
  };
  const recorded = await receiver.writer.record(event, `oauth-state:${redeemed.id}`);
  if (!recorded.duplicate) await receiver.publisher.publish(event);
  return recorded;
}
