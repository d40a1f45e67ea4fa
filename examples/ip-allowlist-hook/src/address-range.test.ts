import { describe, expect, it } from "vitest";
import { parseAddressRange, parseIpAddress, rangeContains } from "./address-range.js";

function range(text: string) {
  const parsed = parseAddressRange(text);
  if (!parsed.ok) throw new Error(`${text} ${parsed.problem}`);
  return parsed.range;
}

function address(text: string) {
  const parsed = parseIpAddress(text);
  if (parsed === undefined) throw new Error(`${text} is not an address`);
  return parsed;
}

const contains = (rangeText: string, addressText: string) =>
  rangeContains(range(rangeText), address(addressText));

describe("parseIpAddress", () => {
  it("reads IPv4 and every way of writing IPv6", () => {
    expect(parseIpAddress("0.0.0.0")).toBe(0xffff_0000_0000n);
    expect(parseIpAddress("192.0.2.1")).toBe(0xffff_c000_0201n);
    expect(parseIpAddress("::")).toBe(0n);
    expect(parseIpAddress("::1")).toBe(1n);
    expect(parseIpAddress("2001:db8::")).toBe(0x2001_0db8n << 96n);
    expect(parseIpAddress("2001:DB8:0:0:0:0:0:1")).toBe(parseIpAddress("2001:db8::1"));
    expect(parseIpAddress("1:2:3:4:5:6:7::")).toBe(parseIpAddress("1:2:3:4:5:6:7:0"));
    expect(parseIpAddress("::ffff:192.0.2.1")).toBe(parseIpAddress("192.0.2.1"));
    expect(parseIpAddress("::ffff:c000:201")).toBe(parseIpAddress("192.0.2.1"));
    expect(parseIpAddress("64:ff9b::192.0.2.1")).toBe(parseIpAddress("64:ff9b::c000:201"));
  });

  it("refuses what is not an address", () => {
    for (const text of [
      "",
      "localhost",
      "192.0.2",
      "192.0.2.1.5",
      "192.0.2.256",
      "192.0.02.1",
      " 192.0.2.1",
      "+1.2.3.4",
      "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7:8::",
      "1::2::3",
      ":1",
      "1:",
      "1:::2",
      "12345::",
      "g::1",
      "1.2.3.4::",
      "::1.2.3.4:5",
      "fe80::1%eth0",
    ]) {
      expect(parseIpAddress(text), text).toBeUndefined();
    }
  });
});

describe("parseAddressRange", () => {
  it("reads one address as a range of one", () => {
    expect(contains("198.51.100.7", "198.51.100.7")).toBe(true);
    expect(contains("198.51.100.7", "198.51.100.8")).toBe(false);
    expect(contains("2001:db8::1", "2001:db8:0::1")).toBe(true);
  });

  it("reads IPv4 and IPv6 CIDR ranges, the edges included", () => {
    expect(contains("203.0.113.0/24", "203.0.113.0")).toBe(true);
    expect(contains("203.0.113.0/24", "203.0.113.255")).toBe(true);
    expect(contains("203.0.113.0/24", "203.0.114.0")).toBe(false);
    expect(contains("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).toBe(true);
    expect(contains("2001:db8::/32", "2001:db9::")).toBe(false);
    expect(contains("10.0.0.0/8", "10.255.0.1")).toBe(true);
    expect(contains("10.0.0.1/32", "10.0.0.1")).toBe(true);
  });

  it("keeps IPv4 apart from IPv6, except for the IPv4-mapped form of the same address", () => {
    expect(contains("0.0.0.0/0", "203.0.113.9")).toBe(true);
    expect(contains("0.0.0.0/0", "2001:db8::1")).toBe(false);
    expect(contains("::/0", "2001:db8::1")).toBe(true);
    expect(contains("127.0.0.1", "::ffff:127.0.0.1")).toBe(true);
    expect(contains("::ffff:127.0.0.0/104", "127.0.0.1")).toBe(true);
    expect(contains("::1", "127.0.0.1")).toBe(false);
  });

  it("says what is wrong with an entry that is not a range", () => {
    expect(parseAddressRange("10.0.0.0/33")).toEqual({
      ok: false,
      problem: "has a prefix length that is not a number from 0 to 32",
    });
    expect(parseAddressRange("2001:db8::/129")).toMatchObject({
      problem: "has a prefix length that is not a number from 0 to 128",
    });
    for (const text of ["10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/8/8"]) {
      expect(parseAddressRange(text).ok, text).toBe(false);
    }
    expect(parseAddressRange("example.com")).toEqual({
      ok: false,
      problem: "is not an IPv4 or IPv6 address, nor a CIDR range",
    });
  });

  it("refuses a range with bits set after its prefix, suggesting the one meant", () => {
    expect(parseAddressRange("10.0.0.1/8")).toEqual({
      ok: false,
      problem: "has bits set after its /8 prefix (did you mean 10.0.0.0/8?)",
    });
    expect(parseAddressRange("2001:db8::1/32")).toEqual({
      ok: false,
      problem: "has bits set after its /32 prefix (did you mean 2001:db8::/32?)",
    });
  });

  it("writes the suggested range the short way", () => {
    expect(parseAddressRange("2001:db8:0:1::1:0:1/80")).toMatchObject({
      problem: "has bits set after its /80 prefix (did you mean 2001:db8:0:1::/80?)",
    });
    expect(parseAddressRange("::1/64")).toMatchObject({
      problem: expect.stringContaining("::/64"),
    });
    expect(parseAddressRange("1:0:1:0:1:0:1:1/112")).toMatchObject({
      problem: expect.stringContaining("1:0:1:0:1:0:1:0/112"),
    });
  });

  it("ignores spaces around an entry", () => {
    expect(contains(" 203.0.113.0/24 ", "203.0.113.5")).toBe(true);
  });
});
