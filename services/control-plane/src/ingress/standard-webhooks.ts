import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The Standard Webhooks scheme (standardwebhooks.com): the sender signs
 * `${webhook-id}.${webhook-timestamp}.${body}` with HMAC-SHA256 and sends
 * `webhook-signature: v1,<base64>` (several, space-separated, while a secret rotates).
 */
export const STANDARD_WEBHOOK_HEADERS = {
  id: "webhook-id",
  timestamp: "webhook-timestamp",
  signature: "webhook-signature",
} as const;

const SECRET_PREFIX = "whsec_";

/** The signing key of a `whsec_<base64>` secret (the prefix is optional). */
export function standardWebhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, "base64");
}

function digest(key: Buffer, id: string, timestamp: string, body: Buffer | string): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
}

/**
 * The `webhook-signature` value a sender computes.
 *
 * @example signStandardWebhook(key, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "1674087231", body) // "v1,K5oZ…"
 */
export function signStandardWebhook(
  key: Buffer,
  id: string,
  timestamp: string,
  body: Buffer | string,
): string {
  return `v1,${digest(key, id, timestamp, body).toString("base64")}`;
}

/** True when one of the `v1` signatures in `header` is the body's, compared in constant time. */
export function standardWebhookSignatureMatches(
  key: Buffer,
  id: string,
  timestamp: string,
  body: Buffer,
  header: string,
): boolean {
  const expected = digest(key, id, timestamp, body);
  let matched = false;
  for (const entry of header.split(" ")) {
    const [version, signature] = entry.split(",", 2);
    if (version !== "v1" || signature === undefined) continue;
    const presented = Buffer.from(signature, "base64");
    // Every entry is compared, so the timing does not tell which one matched.
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) {
      matched = true;
    }
  }
  return matched;
}
