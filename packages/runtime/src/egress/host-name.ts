import { domainToASCII } from "node:url";

/**
 * The form in which hosts are compared: what the WHATWG URL parser makes of a host (lowercase,
 * IDNA to ASCII, IPv4 in any of its encodings written as dotted decimal: `0x7f.1`,
 * `2130706433` and `127.1` all become `127.0.0.1`), with one trailing dot removed. Returns
 * `undefined` for text that is not a host.
 *
 * @example normaliseHostName("BÜCHER.example.") // "xn--bcher-kva.example"
 */
export function normaliseHostName(text: string): string | undefined {
  // domainToASCII stops at the first `/`, `?` or `#` ("evil.example/x" gives
  // "evil.example"), so a host written with any URL delimiter is refused outright.
  if (/[\s/\\?#@:[\]%]/.test(text) && !isBracketedIpv6(text)) return undefined;
  const ascii = domainToASCII(text.toLowerCase());
  if (ascii === "") return undefined;
  const host = ascii.endsWith(".") ? ascii.slice(0, -1) : ascii;
  return host === "" || host.endsWith(".") ? undefined : host;
}

function isBracketedIpv6(text: string): boolean {
  return /^\[[0-9a-fA-F:.]+\]$/.test(text);
}
