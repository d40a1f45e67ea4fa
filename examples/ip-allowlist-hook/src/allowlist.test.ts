import { describe, expect, it } from "vitest";
import { parseIpAddress } from "./address-range.js";
import { AllowlistError, admittingEntry, readAllowlist } from "./allowlist.js";

function admits(entries: string[], client: string): string | undefined {
  const address = parseIpAddress(client);
  if (address === undefined) throw new Error(`${client} is not an address`);
  return admittingEntry(readAllowlist(entries), address);
}

describe("readAllowlist", () => {
  it("admits an address through the first entry that covers it", () => {
    const entries = ["198.51.100.7", "203.0.113.0/24", "2001:db8::/32"];
    expect(admits(entries, "203.0.113.40")).toBe("203.0.113.0/24");
    expect(admits(entries, "2001:db8::5")).toBe("2001:db8::/32");
    expect(admits(entries, "::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(admits(entries, "198.51.100.8")).toBeUndefined();
  });

  it("admits nothing when the list is empty or not set", () => {
    expect(admits([], "127.0.0.1")).toBeUndefined();
    expect(readAllowlist(undefined)).toEqual([]);
  });

  it("names every entry that is not an address or a range", () => {
    expect(() => readAllowlist(["10.0.0.0/8", "10.0.0.0/33", 7, "10.1.0.1/16"])).toThrow(
      new AllowlistError(
        'allowedAddresses[1]: "10.0.0.0/33" has a prefix length that is not a number from 0 to 32; ' +
          "allowedAddresses[2]: 7 is not a string; " +
          'allowedAddresses[3]: "10.1.0.1/16" has bits set after its /16 prefix (did you mean 10.1.0.0/16?)',
      ),
    );
  });

  it("refuses a setting that is not a list", () => {
    expect(() => readAllowlist("10.0.0.0/8")).toThrow(
      "allowedAddresses: expected a list of addresses and ranges",
    );
  });
});
