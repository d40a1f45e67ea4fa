import { describe, expect, it } from "vitest";
import { normaliseHostName } from "./host-name.js";

describe("normaliseHostName", () => {
  it.each([
    ["API.Example.COM", "api.example.com"],
    ["api.example.com.", "api.example.com"],
    ["BÜCHER.example", "xn--bcher-kva.example"],
    ["bücher.example.", "xn--bcher-kva.example"],
    ["ａｌｌｏｗｅｄ.example", "allowed.example"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["2130706433", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["127.0.0.1.", "127.0.0.1"],
    ["[::FFFF:127.0.0.1]", "[::ffff:7f00:1]"],
  ])("writes %s as %s", (text, expected) => {
    expect(normaliseHostName(text)).toBe(expected);
  });

  it.each([
    ["an empty string", ""],
    ["a lone dot", "."],
    ["two trailing dots", "api.example.com.."],
    ["a path", "evil.example/x"],
    ["a port", "api.example.com:443"],
    ["userinfo", "allowed.example@evil.example"],
    ["a query", "evil.example?x"],
    ["a backslash", "evil.example\\x"],
    ["a space", "api example.com"],
    ["a percent sign", "%31%32%37.0.0.1"],
    ["a bare IPv6 address", "::1"],
    ["an IPv4 form with five parts", "1.2.3.4.5"],
  ])("refuses %s", (_label, text) => {
    expect(normaliseHostName(text)).toBeUndefined();
  });
});
