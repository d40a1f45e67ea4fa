import { checkEgressTarget } from "./check-egress-target.js";
import { type EgressError, egressError } from "./egress-errors.js";
import type { EgressPolicy } from "./egress-policy.js";
import {
  type EgressRequest,
  type EgressResponse,
  type HopRequest,
  parseEgressRequest,
} from "./egress-request.js";
import { type HostLookup, lookupWithDns } from "./host-lookup.js";
import { openPinnedExchange, readCappedBody } from "./pinned-connection.js";
import { redirectedRequest } from "./redirects.js";

export interface SendEgressOptions {
  /** Resolves host names; the system resolver when left out. */
  readonly lookup?: HostLookup;
  /** Cancels the request, such as when the plugin call that made it is stopped. */
  readonly signal?: AbortSignal;
}

/** One deadline for the whole request, DNS and redirects included, plus the caller's signal. */
function startDeadline(timeoutMs: number, caller: AbortSignal | undefined) {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = caller === undefined ? timeout : AbortSignal.any([timeout, caller]);
  let host = "";
  let address: string | undefined;
  const error = (): EgressError => {
    const where = address === undefined ? host : `${host} (${address})`;
    return caller?.aborted === true
      ? egressError("aborted", host, `the request to ${where} was cancelled`, address)
      : egressError(
          "timeout",
          host,
          `the request to ${where} took longer than ${timeoutMs} ms`,
          address,
        );
  };
  const untilAborted = <T>(work: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(error());
      if (signal.aborted) onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  return {
    signal,
    error,
    untilAborted,
    at: (nextHost: string, nextAddress?: string) => {
      host = nextHost;
      address = nextAddress;
    },
  };
}

/**
 * Sends a request through the egress guard: checks the URL, resolves and checks every
 * address, connects to exactly the checked address, follows up to `maxRedirects` redirects
 * with each hop checked the same way, and reads at most `maxResponseBytes` within
 * `timeoutMs`. Throws an `EgressDeniedError` when the policy refuses, an `EgressError` when
 * a cap is passed or the network fails.
 *
 * @example
 * const policy = createEgressPolicy([{ host: "api.example.com" }]);
 * const response = await sendEgressRequest({ method: "GET", url: "https://api.example.com/v1/status" }, policy);
 */
export async function sendEgressRequest(
  request: EgressRequest,
  policy: EgressPolicy,
  options: SendEgressOptions = {},
): Promise<EgressResponse> {
  const lookup = options.lookup ?? lookupWithDns;
  const timeoutMs = Math.min(policy.timeoutMs, request.timeoutMs ?? policy.timeoutMs);
  const deadline = startDeadline(timeoutMs, options.signal);
  let hop: HopRequest = parseEgressRequest(request);
  for (let redirects = 0; ; redirects++) {
    deadline.at(URL.canParse(hop.url) ? new URL(hop.url).hostname : "");
    const target = await deadline.untilAborted(checkEgressTarget(hop.url, policy, lookup));
    deadline.at(target.host, target.address);
    const response = await openPinnedExchange(target, hop, policy, deadline.signal, deadline.error);
    const next = redirectedRequest(hop, response.status, response.headers.location);
    if (next === undefined) {
      const body = await readCappedBody(
        target,
        response,
        policy.maxResponseBytes,
        deadline.signal,
        deadline.error,
      );
      return {
        status: response.status,
        headers: response.headers,
        body,
        url: target.url.href,
        address: target.address,
      };
    }
    response.request.destroy();
    if (redirects >= policy.maxRedirects) {
      throw egressError(
        "too_many_redirects",
        target.host,
        `${target.host} redirected to ${next.url} after ${redirects} redirects; at most ${policy.maxRedirects} are followed`,
      );
    }
    hop = next;
  }
}
