import type { IngressAdapterManifest } from "@plugboard/plugin-sdk";

/** A webhook after the host authenticated it, as ingress steps and normalisers see it. */
export interface WebhookDelivery {
  readonly adapter: IngressAdapterManifest;
  /**
   * Lower-case names, one value each (repeated headers joined with ", "), without the
   * credentials: `authorization`, `cookie` and `webhook-signature` never reach plugin code.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The media type without parameters, lower-case; empty when the request named none. */
  readonly contentType: string;
  /** The exact bytes received. */
  readonly body: Buffer;
  readonly receivedAt: Date;
  /** The sender's address as the server saw it, when known. */
  readonly clientIp?: string | undefined;
}

/** Headers that authenticate a delivery; removed before anything else sees the delivery. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "cookie",
  "webhook-signature",
]);

/** The headers of a request as a delivery carries them. */
export function deliveryHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || CREDENTIAL_HEADERS.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return "";
  const end = contentType.indexOf(";");
  return (end < 0 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
}
