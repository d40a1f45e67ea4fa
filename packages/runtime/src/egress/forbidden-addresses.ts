import { formatIpv4, type IpAddress, parseIpAddress } from "./ip-address.js";

/**
 * Why an address may not be reached. Only `loopback` can be lifted, and only for a host the
 * host policy names in `loopbackHosts`.
 */
export const FORBIDDEN_ADDRESS_CATEGORIES = [
  "unspecified",
  "loopback",
  "private",
  "link_local",
  "metadata",
  "shared_address_space",
  "multicast",
  "broadcast",
  "reserved",
  "documentation",
  "ipv4_mapped",
  "ipv4_compatible",
  "ipv4_translated",
  "not_an_address",
] as const;
export type ForbiddenAddressCategory = (typeof FORBIDDEN_ADDRESS_CATEGORIES)[number];

/** An address the guard refuses, with the range that forbids it. */
export interface ForbiddenAddress {
  readonly address: string;
  readonly category: ForbiddenAddressCategory;
  /** The range in CIDR notation, such as `127.0.0.0/8`. */
  readonly range: string;
}

// First match wins, so a range sits before any wider range that contains it (the metadata
// addresses before link-local and unique-local, Teredo before 2001::/23). Sources: the IANA
// IPv4 and IPv6 special-purpose address registries, and the clouds' metadata addresses:
// 169.254.169.254 (AWS, Azure, GCP and others), fd00:ec2::254 (AWS over IPv6, also inside
// fc00::/7) and 168.63.129.16 (Azure's wire server, a public address).
export const FORBIDDEN_RANGES: ReadonlyArray<readonly [string, ForbiddenAddressCategory]> = [
  ["169.254.169.254/32", "metadata"],
  ["168.63.129.16/32", "metadata"],
  ["fd00:ec2::254/128", "metadata"],
  ["0.0.0.0/8", "unspecified"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "shared_address_space"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link_local"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved"],
  ["192.0.2.0/24", "documentation"],
  ["192.88.99.0/24", "reserved"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "reserved"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["255.255.255.255/32", "broadcast"],
  ["240.0.0.0/4", "reserved"],
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  // IPv4-compatible (deprecated) and IPv4-mapped addresses reach IPv4 hosts through an IPv6
  // socket: `::ffff:127.0.0.1` is loopback in disguise, so every one of them is refused.
  ["::/96", "ipv4_compatible"],
  ["::ffff:0:0/96", "ipv4_mapped"],
  ["64:ff9b:1::/48", "reserved"],
  ["100::/64", "reserved"],
  // Teredo carries the IPv4 addresses of its server and client inside the IPv6 address.
  ["2001::/32", "ipv4_translated"],
  ["2001::/23", "reserved"],
  ["2001:db8::/32", "documentation"],
  ["2002::/16", "ipv4_translated"],
  ["3fff::/20", "documentation"],
  ["fc00::/7", "private"],
  ["fe80::/10", "link_local"],
  ["fec0::/10", "reserved"],
  ["ff00::/8", "multicast"],
];

interface Range {
  readonly cidr: string;
  readonly category: ForbiddenAddressCategory;
  readonly family: 4 | 6;
  readonly shift: bigint;
  readonly prefix: bigint;
}

function parseRange([cidr, category]: readonly [string, ForbiddenAddressCategory]): Range {
  const [text = "", bits = ""] = cidr.split("/");
  const base = parseIpAddress(text);
  if (base === undefined) throw new Error(`forbidden range ${cidr} is not an address range`);
  const shift = BigInt((base.family === 4 ? 32 : 128) - Number(bits));
  return { cidr, category, family: base.family, shift, prefix: base.value >> shift };
}

const RANGES = FORBIDDEN_RANGES.map(parseRange);

// The well-known NAT64 prefix carries an IPv4 address in its last 32 bits: reached through a
// translator, it is as forbidden as that IPv4 address.
export const NAT64 = parseRange(["64:ff9b::/96", "ipv4_translated"]);
// Every other IPv6 address outside global unicast is unassigned.
export const GLOBAL_UNICAST = parseRange(["2000::/3", "reserved"]);

function within(address: IpAddress, range: Range): boolean {
  return address.family === range.family && address.value >> range.shift === range.prefix;
}

function classify(address: IpAddress): Omit<ForbiddenAddress, "address"> | undefined {
  const range = RANGES.find((candidate) => within(address, candidate));
  if (range !== undefined) return { category: range.category, range: range.cidr };
  if (address.family === 4) return undefined;
  if (within(address, NAT64)) {
    const embedded = classify({ family: 4, value: address.value & 0xffff_ffffn });
    if (embedded === undefined) return undefined;
    return {
      category: "ipv4_translated",
      range: `${NAT64.cidr} embedding ${formatIpv4(address.value)} in ${embedded.range}`,
    };
  }
  if (!within(address, GLOBAL_UNICAST)) return { category: "reserved", range: "outside 2000::/3" };
  return undefined;
}

/**
 * The reason an address may not be reached, or `undefined` for a public address. Text that
 * is not a plain IPv4 or IPv6 address is forbidden too (`not_an_address`).
 *
 * @example forbiddenAddress("::ffff:7f00:1") // { address: "::ffff:7f00:1", category: "ipv4_mapped", range: "::ffff:0:0/96" }
 */
export function forbiddenAddress(text: string): ForbiddenAddress | undefined {
  const address = parseIpAddress(text);
  if (address === undefined) {
    return { address: text, category: "not_an_address", range: "no address range" };
  }
  const found = classify(address);
  return found === undefined ? undefined : { address: text, ...found };
}
