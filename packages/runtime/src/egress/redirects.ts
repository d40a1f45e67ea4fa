import type { HopRequest } from "./egress-request.js";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Headers still sent when a redirect leaves the origin, unless the request names them as
// credentials. Any other header may carry a credential, so it stays behind.
const CROSS_ORIGIN_HEADERS = new Set([
  "accept",
  "accept-language",
  "content-language",
  "content-type",
  "user-agent",
]);

/**
 * The request for the next hop when a response is a redirect, or `undefined` when it is
 * not (or its `Location` is not a URL). Follows the Fetch rules: 303 becomes GET (unless
 * HEAD), 301 and 302 turn POST into GET, 307 and 308 keep method and body; a dropped body
 * takes its `content-*` headers with it. A redirect to another origin (scheme, host or port)
 * keeps only a few content-negotiation headers, and never one of `credentialHeaders`. The next
 * URL is checked by the caller like the first one.
 */
export function redirectedRequest(
  previous: HopRequest,
  status: number,
  location: string | undefined,
): HopRequest | undefined {
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return undefined;
  const from = new URL(previous.url);
  if (!URL.canParse(location, from.href)) return undefined;
  const next = new URL(location, from);
  next.hash = "";
  const toGet =
    (status === 303 && previous.method !== "HEAD") ||
    ((status === 301 || status === 302) && previous.method === "POST");
  const sameOrigin = next.origin === from.origin;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(previous.headers)) {
    if (toGet && name.startsWith("content-")) continue;
    if (!sameOrigin && (!CROSS_ORIGIN_HEADERS.has(name) || previous.credentialHeaders.has(name))) {
      continue;
    }
    headers[name] = value;
  }
  return {
    method: toGet ? "GET" : previous.method,
    url: next.href,
    headers,
    body: toGet ? undefined : previous.body,
    credentialHeaders: previous.credentialHeaders,
  };
}
