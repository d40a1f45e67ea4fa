import { validateHeaderName, validateHeaderValue } from "node:http";
import { egressError } from "./egress-errors.js";

/** The methods the guard sends; `CONNECT` and `TRACE` are not among them. */
export const EGRESS_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type EgressMethod = (typeof EGRESS_METHODS)[number];

// Headers that decide where and how the bytes travel are the guard's to set: a caller's
// `Host` would reach another virtual host on the granted address, and framing headers
// (`content-length`, `transfer-encoding`) could split one request into two.
const GUARD_HEADERS = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "keep-alive",
  "proxy-connection",
  "expect",
]);

/** An outbound request as a plugin or the HTTP interpreter asks for it. */
export interface EgressRequest {
  /** Defaults to `GET`; any case. */
  readonly method?: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** A time limit below the policy's `timeoutMs`; the lower of the two applies. */
  readonly timeoutMs?: number;
  /**
   * Names of headers that carry credentials (a plugin context lists the ones it filled from
   * secret handles): never sent past a redirect to another origin, whatever their name.
   */
  readonly credentialHeaders?: readonly string[];
}

/** The final response, after any redirects the guard followed. */
export interface EgressResponse {
  readonly status: number;
  /** Lowercase names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** The URL that answered, after redirects. */
  readonly url: string;
  /** The address the final connection was pinned to. */
  readonly address: string;
}

/** A request as sent on one hop, after the checks that do not depend on the URL. */
export interface HopRequest {
  readonly method: EgressMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
  /** Lowercase names of the headers that stay behind on a redirect to another origin. */
  readonly credentialHeaders: ReadonlySet<string>;
}

function isEgressMethod(method: string): method is EgressMethod {
  return EGRESS_METHODS.some((known) => known === method);
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).hostname : "";
}

/**
 * Checks the parts of a request that do not depend on where it goes: a known method, valid
 * header names and values (no CR/LF), none of the headers the guard sets itself, and no body
 * on GET or HEAD, and a positive whole `timeoutMs`. Header names come back lowercase.
 */
export function parseEgressRequest(request: EgressRequest): HopRequest {
  const host = hostOf(request.url);
  const method = (request.method ?? "GET").toUpperCase();
  if (!isEgressMethod(method)) {
    throw egressError(
      "invalid_request",
      host,
      `method "${request.method}" is not one of ${EGRESS_METHODS.join(", ")}`,
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      throw egressError("invalid_request", host, `header "${name}" has an invalid name or value`);
    }
    const lower = name.toLowerCase();
    if (GUARD_HEADERS.has(lower)) {
      throw egressError("invalid_request", host, `header "${name}" is set by the egress guard`);
    }
    headers[lower] = value;
  }
  const { timeoutMs } = request;
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw egressError(
      "invalid_request",
      host,
      `timeoutMs must be a positive integer, got ${timeoutMs}`,
    );
  }
  if (request.body !== undefined && (method === "GET" || method === "HEAD")) {
    throw egressError("invalid_request", host, `a ${method} request cannot have a body`);
  }
  const credentialHeaders = new Set(
    (request.credentialHeaders ?? []).map((name) => name.toLowerCase()),
  );
  return { method, url: request.url, headers, body: request.body, credentialHeaders };
}
