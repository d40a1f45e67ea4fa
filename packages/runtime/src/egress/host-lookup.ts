import { lookup } from "node:dns/promises";

/** One address a host name resolved to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/**
 * Resolves a host name to every address it has. The guard checks them all and connects to
 * one of them, so a resolver that answers differently on the next call cannot redirect the
 * connection.
 */
export type HostLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (`getaddrinfo`), every address in the order it answered. */
export const lookupWithDns: HostLookup = (hostname) =>
  lookup(hostname, { all: true, verbatim: true });
