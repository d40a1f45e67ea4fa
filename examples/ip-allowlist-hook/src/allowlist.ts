import type { ConfigValue } from "@plugboard/plugin-sdk";
import {
  type AddressRange,
  type IpAddress,
  parseAddressRange,
  rangeContains,
} from "./address-range.js";

/** The configured entries, parsed: each with the text the operator wrote. */
export type Allowlist = readonly { readonly entry: string; readonly range: AddressRange }[];

/** Why the configured list cannot be used; the message names each bad entry. */
export class AllowlistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AllowlistError";
  }
}

/**
 * Reads the `allowedAddresses` setting. The host has checked it against the configSchema (a
 * list of strings); what a schema cannot say, that each string is an address or a range, is
 * checked here, and every bad entry is named, as `allowedAddresses[2]`.
 */
export function readAllowlist(value: ConfigValue | undefined): Allowlist {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new AllowlistError("allowedAddresses: expected a list of addresses and ranges");
  }
  const allowlist: { entry: string; range: AddressRange }[] = [];
  const problems: string[] = [];
  value.forEach((entry, index) => {
    const at = `allowedAddresses[${index}]: ${JSON.stringify(entry)}`;
    if (typeof entry !== "string") {
      problems.push(`${at} is not a string`);
      return;
    }
    const parsed = parseAddressRange(entry);
    if (parsed.ok) allowlist.push({ entry, range: parsed.range });
    else problems.push(`${at} ${parsed.problem}`);
  });
  if (problems.length > 0) throw new AllowlistError(problems.join("; "));
  return allowlist;
}

/** The entry that admits `address`, or undefined when none does. */
export function admittingEntry(allowlist: Allowlist, address: IpAddress): string | undefined {
  return allowlist.find(({ range }) => rangeContains(range, address))?.entry;
}
