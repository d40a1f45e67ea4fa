/**
 * IPv4 and IPv6 addresses as 128-bit numbers. An IPv4 address is held in its IPv4-mapped
 * IPv6 form (`::ffff:192.0.2.1`), so both spellings of one address are the same number, and
 * an IPv4 range `/n` is the IPv6 range `/96+n`.
 */
export type IpAddress = bigint;

/** Every address whose first `prefixLength` bits are those of `base`. */
export interface AddressRange {
  readonly base: IpAddress;
  readonly prefixLength: number;
}

export type RangeParse =
  | { readonly ok: true; readonly range: AddressRange }
  | { readonly ok: false; readonly problem: string };

const BITS = 128;
const IPV4_MAPPED = 0xffffn << 32n;
// No leading zeros: "010" is octal to some parsers and decimal to others.
const IPV4_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const IPV6_GROUP = /^[0-9a-f]{1,4}$/i;
const PREFIX_LENGTH = /^(?:0|[1-9][0-9]{0,2})$/;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_OCTET.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

/** The 16-bit groups of one side of `::`; only the last side may end in dotted IPv4. */
function ipv6Groups(text: string, last: boolean): number[] | undefined {
  if (text === "") return [];
  const parts = text.split(":");
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (last && index === parts.length - 1 && part.includes(".")) {
      const ipv4 = parseIpv4(part);
      if (ipv4 === undefined) return undefined;
      groups.push(Number(ipv4 >> 16n), Number(ipv4 & 0xffffn));
    } else if (IPV6_GROUP.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

function parseIpv6(text: string): bigint | undefined {
  const sides = text.split("::");
  if (sides.length > 2) return undefined;
  const [head = "", tail] = sides;
  const headGroups = ipv6Groups(head, tail === undefined);
  const tailGroups = tail === undefined ? [] : ipv6Groups(tail, true);
  if (headGroups === undefined || tailGroups === undefined) return undefined;
  const given = headGroups.length + tailGroups.length;
  // Without "::" all eight groups are written; "::" stands for at least one zero group.
  if (tail === undefined ? given !== 8 : given > 7) return undefined;
  const groups = [...headGroups, ...new Array<number>(8 - given).fill(0), ...tailGroups];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/**
 * An IPv4 (`192.0.2.1`) or IPv6 (`2001:db8::1`, `::ffff:192.0.2.1`) address, or undefined
 * when the text is neither. Zone ids (`fe80::1%eth0`) are not accepted.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.includes(":")) return parseIpv6(text);
  const ipv4 = parseIpv4(text);
  return ipv4 === undefined ? undefined : IPV4_MAPPED | ipv4;
}

function hostBits(prefixLength: number): bigint {
  return (1n << BigInt(BITS - prefixLength)) - 1n;
}

/** An address as text: dotted IPv4 when it is IPv4-mapped, else IPv6 with its longest run of zeros as `::`. */
function formatAddress(address: IpAddress): string {
  if (address >> 32n === 0xffffn) {
    return [24n, 16n, 8n, 0n].map((shift) => String((address >> shift) & 0xffn)).join(".");
  }
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) =>
    Number((address >> shift) & 0xffffn),
  );
  let run = { start: -1, length: 0 };
  for (let start = 0; start < groups.length; start++) {
    let length = 0;
    while (groups[start + length] === 0) length++;
    if (length > run.length && length > 1) run = { start, length };
  }
  const hex = (part: number[]) => part.map((group) => group.toString(16)).join(":");
  if (run.start === -1) return hex(groups);
  return `${hex(groups.slice(0, run.start))}::${hex(groups.slice(run.start + run.length))}`;
}

/**
 * One address (`198.51.100.7`, `2001:db8::1`) or CIDR range (`203.0.113.0/24`,
 * `2001:db8::/32`). A range with bits set after its prefix (`10.0.0.1/8`) is refused: it is
 * usually a typing mistake, and the problem says which range was probably meant.
 */
export function parseAddressRange(text: string): RangeParse {
  const [addressText = "", lengthText, extra] = text.trim().split("/");
  const address = parseIpAddress(addressText);
  if (address === undefined || extra !== undefined) {
    return { ok: false, problem: "is not an IPv4 or IPv6 address, nor a CIDR range" };
  }
  const ipv4 = !addressText.includes(":");
  if (lengthText === undefined) return { ok: true, range: { base: address, prefixLength: BITS } };
  const maximum = ipv4 ? 32 : BITS;
  if (!PREFIX_LENGTH.test(lengthText) || Number(lengthText) > maximum) {
    return { ok: false, problem: `has a prefix length that is not a number from 0 to ${maximum}` };
  }
  const prefixLength = Number(lengthText) + (ipv4 ? BITS - 32 : 0);
  const host = hostBits(prefixLength);
  if ((address & host) !== 0n) {
    const meant = `${formatAddress(address & ~host)}/${lengthText}`;
    return {
      ok: false,
      problem: `has bits set after its /${lengthText} prefix (did you mean ${meant}?)`,
    };
  }
  return { ok: true, range: { base: address, prefixLength } };
}

/** Whether `address` is in `range`. */
export function rangeContains(range: AddressRange, address: IpAddress): boolean {
  const shift = BigInt(BITS - range.prefixLength);
  return address >> shift === range.base >> shift;
}
