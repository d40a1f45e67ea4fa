import { egressError } from "./egress-errors.js";
import type { EgressPolicy } from "./egress-policy.js";
import { forbiddenAddress } from "./forbidden-addresses.js";
import { type HostLookup, lookupWithDns, type ResolvedAddress } from "./host-lookup.js";
import { normaliseHostName } from "./host-name.js";
import { parseIpAddress } from "./ip-address.js";

/** Where a checked request goes: the URL, and the one address the connection must use. */
export interface EgressTarget {
  readonly url: URL;
  /** The host as compared with the grants; sent as SNI and in the Host header. */
  readonly host: string;
  readonly port: number;
  /** The checked address the connection is pinned to. */
  readonly address: string;
  readonly family: 4 | 6;
  /** True when the host is an IP address written in the URL, so no SNI is sent. */
  readonly literal: boolean;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { "https:": 443, "http:": 80 };

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw egressError("invalid_request", "", `"${text}" is not an absolute URL`);
  }
}

function checkUrl(url: URL, policy: EgressPolicy): { host: string; port: number } {
  const host = normaliseHostName(url.hostname) ?? url.hostname;
  const scheme = url.protocol;
  if (scheme !== "https:" && !(scheme === "http:" && policy.plainHttpHosts.includes(host))) {
    throw egressError(
      "scheme_not_allowed",
      host,
      `${scheme} to ${host} is not allowed: only https://, or http:// to a host the host policy lists in plainHttpHosts`,
    );
  }
  // `https://allowed.example@evil.example/` goes to evil.example; no URL with credentials
  // is sent at all, so a reader of the URL is never misled about where it goes.
  if (url.username !== "" || url.password !== "") {
    throw egressError(
      "userinfo",
      host,
      `the URL to ${host} carries a user name or password; credentials go in headers`,
    );
  }
  const grants = policy.grants.filter((grant) => grant.host === host);
  if (grants.length === 0) {
    throw egressError("host_not_granted", host, `${host} is not granted (network:outbound)`);
  }
  const defaultPort = DEFAULT_PORTS[scheme] ?? 443;
  const port = url.port === "" ? defaultPort : Number(url.port);
  if (!grants.some((grant) => (grant.port ?? defaultPort) === port)) {
    throw egressError("port_not_granted", host, `port ${port} of ${host} is not granted`);
  }
  return { host, port };
}

async function resolve(host: string, lookup: HostLookup): Promise<string[]> {
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await lookup(host);
  } catch (error) {
    const code = error instanceof Error && "code" in error ? ` (${String(error.code)})` : "";
    throw egressError("dns_failed", host, `${host} did not resolve${code}`);
  }
  return addresses.map(({ address }) => address);
}

/**
 * Checks a URL against the policy and resolves its host: https (or http to a listed test
 * host), no credentials in the URL, a granted host and port, and every address the host
 * resolves to public (or loopback, for a host listed in `loopbackHosts`). Returns the
 * address the connection must be pinned to. Throws an `EgressDeniedError` when the policy
 * refuses, an `EgressError` (`dns_failed`) when the name does not resolve.
 *
 * @example await checkEgressTarget("https://api.example.com/v1", policy) // { host: "api.example.com", port: 443, address: "93.184.215.14", ... }
 */
export async function checkEgressTarget(
  text: string,
  policy: EgressPolicy,
  lookup: HostLookup = lookupWithDns,
): Promise<EgressTarget> {
  const url = parseUrl(text);
  const { host, port } = checkUrl(url, policy);
  const literal = parseIpAddress(host) !== undefined;
  const addresses = literal ? [host.replace(/^\[|\]$/g, "")] : await resolve(host, lookup);
  const loopbackAllowed = policy.loopbackHosts.includes(host);
  // Every address is checked, not only the one used: a name with one public and one
  // private address is refused outright.
  const checked = addresses.map((address) => {
    const forbidden = forbiddenAddress(address);
    const parsed = parseIpAddress(address);
    const allowed =
      forbidden === undefined || (forbidden.category === "loopback" && loopbackAllowed);
    if (allowed && parsed !== undefined) return { address, family: parsed.family };
    const why =
      forbidden === undefined ? "not an address" : `${forbidden.category} (${forbidden.range})`;
    const subject = literal ? host : `${host} resolves to ${address}, which`;
    throw egressError("forbidden_address", host, `${subject} is ${why}`, address);
  });
  const [pinned] = checked;
  if (pinned === undefined) throw egressError("dns_failed", host, `${host} has no address`);
  return { url, host, port, address: pinned.address, family: pinned.family, literal };
}
