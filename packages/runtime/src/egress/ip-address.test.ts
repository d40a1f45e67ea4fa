import { describe, expect, it } from "vitest";
import { formatIpv4, parseIpAddress } from "./ip-address.js";

describe("parseIpAddress", () => {
  it.each([
    ["127.0.0.1", 4, 0x7f00_0001n],
    ["0.0.0.0", 4, 0n],
    ["255.255.255.255", 4, 0xffff_ffffn],
    ["::", 6, 0n],
    ["::1", 6, 1n],
    ["[::1]", 6, 1n],
    ["::ffff:127.0.0.1", 6, 0xffff_7f00_0001n],
    ["::FFFF:7F00:1", 6, 0xffff_7f00_0001n],
    ["0:0:0:0:0:ffff:127.0.0.1", 6, 0xffff_7f00_0001n],
    ["fe80::", 6, 0xfe80n << 112n],
    ["1:2:3:4:5:6:7:8", 6, 0x0001_0002_0003_0004_0005_0006_0007_0008n],
    ["1::8", 6, (1n << 112n) | 8n],
  ])("reads %s", (text, family, value) => {
    expect(parseIpAddress(text)).toStrictEqual({ family, value });
  });

  it.each([
    ["an octal octet", "0177.0.0.1"],
    ["a leading zero", "01.2.3.4"],
    ["a short IPv4 form", "127.1"],
    ["a single number", "2130706433"],
    ["a hex IPv4 form", "0x7f.0.0.1"],
    ["an octet over 255", "256.0.0.1"],
    ["five octets", "1.2.3.4.5"],
    ["two `::`", "1::2::3"],
    ["nine groups", "1:2:3:4:5:6:7:8:9"],
    ["seven groups without `::`", "1:2:3:4:5:6:7"],
    ["`::` standing for no group", "1:2:3:4::5:6:7:8"],
    ["a group of five digits", "12345::"],
    ["a zone id", "fe80::1%eth0"],
    ["an IPv4 tail before `::`", "1.2.3.4::"],
    ["a host name", "localhost"],
    ["an empty string", ""],
  ])("refuses %s", (_label, text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });
});

describe("formatIpv4", () => {
  it("writes the low 32 bits in dotted decimal", () => {
    expect(formatIpv4(0x64ff_9b00_0000_0000_0000_0000_a9fe_a9fen)).toBe("169.254.169.254");
  });
});
