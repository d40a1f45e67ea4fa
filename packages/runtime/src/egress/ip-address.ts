/** An IP address as a number: 32 bits for IPv4, 128 bits for IPv6. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

const IPV4_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/**
 * Parses dotted-decimal IPv4 with no leading zeros (`127.0.0.1`, never `0177.0.0.1` or
 * `127.1`): resolvers answer in this form, so any other form is refused rather than guessed.
 */
export function parseIpv4(text: string): IpAddress | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return { family: 4, value };
}

// A dotted IPv4 tail may only end the whole address, so only the last group list allows it.
function parseHextets(text: string, allowIpv4Tail: boolean): bigint[] | undefined {
  if (text === "") return [];
  const hextets: bigint[] = [];
  const parts = text.split(":");
  for (const [index, part] of parts.entries()) {
    if (allowIpv4Tail && index === parts.length - 1 && part.includes(".")) {
      const ipv4 = parseIpv4(part);
      if (ipv4 === undefined) return undefined;
      hextets.push(ipv4.value >> 16n, ipv4.value & 0xffffn);
    } else if (HEXTET.test(part)) {
      hextets.push(BigInt(Number.parseInt(part, 16)));
    } else {
      return undefined;
    }
  }
  return hextets;
}

/**
 * Parses IPv6 text, with `::` and a dotted IPv4 tail (`::ffff:127.0.0.1`). A zone id
 * (`fe80::1%eth0`) is refused: it names a local interface, never a remote host.
 */
export function parseIpv6(text: string): IpAddress | undefined {
  const lower = text.toLowerCase();
  const halves = lower.split("::");
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const head = parseHextets(halves[0] ?? "", !compressed);
  const tail = compressed ? parseHextets(halves[1] ?? "", true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (compressed ? missing < 1 : missing !== 0) return undefined;
  const hextets = [...head, ...Array<bigint>(missing).fill(0n), ...tail];
  const value = hextets.reduce((sum, hextet) => (sum << 16n) | hextet, 0n);
  return { family: 6, value };
}

/** Parses an IPv4 or IPv6 address (IPv6 with or without the URL's square brackets). */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.startsWith("[") && text.endsWith("]")) return parseIpv6(text.slice(1, -1));
  return text.includes(":") ? parseIpv6(text) : parseIpv4(text);
}

/** Writes an IPv4 address held in the low 32 bits of `value` in dotted decimal. */
export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}
