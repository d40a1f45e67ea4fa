import type { PluginHttpRequest, PluginHttpResponse, SecretHandle } from "@plugboard/plugin-sdk";

/** Where the SMS Relay API lives; the manifest's `network:outbound:api.smsrelay.example` grants it. */
export const SMS_RELAY_API = "https://api.smsrelay.example/v1";

/** A message as SMS Relay describes it. */
export interface RelayMessage {
  readonly id: string;
  readonly status: string;
}

/** What to send: the channel's sender number, the recipient and the text. */
export interface RelaySend {
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

const TIMEOUT_MS = 10_000;

/**
 * `POST /v1/messages`. The token goes in as a handle: the host puts `Bearer <token>` into
 * the `authorization` header, and plugin code never sees the token.
 */
export function sendRequest(message: RelaySend, token: SecretHandle): PluginHttpRequest {
  return {
    method: "POST",
    url: `${SMS_RELAY_API}/messages`,
    headers: { accept: "application/json" },
    secretHeaders: { authorization: { ...token, prefix: "Bearer " } },
    body: { from: message.from, to: message.to, text: message.text },
    timeoutMs: TIMEOUT_MS,
  };
}

/** `GET /v1/messages/{id}`. */
export function statusRequest(id: string, token: SecretHandle): PluginHttpRequest {
  return {
    method: "GET",
    url: `${SMS_RELAY_API}/messages/${encodeURIComponent(id)}`,
    headers: { accept: "application/json" },
    secretHeaders: { authorization: { ...token, prefix: "Bearer " } },
    timeoutMs: TIMEOUT_MS,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** SMS Relay's own explanation of a refusal (`{ "error": "…" }`), cut to a readable length. */
function explanation(body: unknown): string {
  if (typeof body !== "object" || body === null || !("error" in body)) return "";
  return typeof body.error === "string" ? `: ${body.error.slice(0, 200)}` : "";
}

/**
 * The message in an SMS Relay answer to `doing` ("send the message", …). Any other answer
 * throws an error saying what SMS Relay said: a 4xx is a refusal (fix the request or the
 * token), a 5xx is SMS Relay's own failure (try again later).
 */
export function readRelayMessage(response: PluginHttpResponse, doing: string): RelayMessage {
  const body = parseJson(response.body);
  if (response.status >= 500) {
    throw new Error(
      `SMS Relay failed to ${doing} (HTTP ${response.status}${explanation(body)}); try again later`,
    );
  }
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`SMS Relay refused to ${doing} (HTTP ${response.status}${explanation(body)})`);
  }
  if (
    typeof body === "object" &&
    body !== null &&
    "id" in body &&
    "status" in body &&
    typeof body.id === "string" &&
    body.id !== "" &&
    typeof body.status === "string"
  ) {
    return { id: body.id, status: body.status };
  }
  throw new Error(`SMS Relay answered HTTP ${response.status} to ${doing} without { id, status }`);
}
