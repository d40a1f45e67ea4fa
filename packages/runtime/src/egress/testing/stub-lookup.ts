import type { HostLookup, ResolvedAddress } from "../host-lookup.js";

/** A resolver that answers from a table and records every name it was asked for. */
export interface StubLookup extends HostLookup {
  readonly calls: string[];
}

function answer(addresses: readonly string[]): ResolvedAddress[] {
  return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
}

function notFound(hostname: string): Error {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
}

/**
 * Answers each name with the next list in its sequence, repeating the last one: give one
 * list for a stable name, or several for a name whose answer changes between calls.
 */
export function stubLookup(table: Readonly<Record<string, readonly (readonly string[])[]>>) {
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
    const turn = calls.filter((call) => call === hostname).length;
    calls.push(hostname);
    const answers = table[hostname];
    const addresses = answers?.[Math.min(turn, answers.length - 1)];
    if (addresses === undefined) throw notFound(hostname);
    return answer(addresses);
  };
  return Object.assign(lookup, { calls }) satisfies StubLookup;
}
