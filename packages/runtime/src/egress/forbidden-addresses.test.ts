import { describe, expect, it } from "vitest";
import { type ForbiddenAddressCategory, forbiddenAddress } from "./forbidden-addresses.js";

describe("forbiddenAddress", () => {
  it.each<[string, ForbiddenAddressCategory]>([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["fc00::1", "private"],
    ["fd12:3456:789a::1", "private"],
    ["169.254.1.1", "link_local"],
    ["fe80::1", "link_local"],
    ["febf::1", "link_local"],
    ["169.254.169.254", "metadata"],
    ["168.63.129.16", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["100.64.0.1", "shared_address_space"],
    ["100.127.255.255", "shared_address_space"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.0.8", "reserved"],
    ["198.18.0.1", "reserved"],
    ["fec0::1", "reserved"],
    ["100::1", "reserved"],
    ["2001:2::1", "reserved"],
    ["2001:1ff::1", "reserved"],
    ["64:ff9b:1::a", "reserved"],
    ["4000::1", "reserved"],
    ["192.0.2.1", "documentation"],
    ["198.51.100.1", "documentation"],
    ["203.0.113.1", "documentation"],
    ["2001:db8::1", "documentation"],
    ["::ffff:127.0.0.1", "ipv4_mapped"],
    ["::ffff:7f00:1", "ipv4_mapped"],
    ["::ffff:a9fe:a9fe", "ipv4_mapped"],
    ["::ffff:8.8.8.8", "ipv4_mapped"],
    ["::127.0.0.1", "ipv4_compatible"],
    ["::7f00:1", "ipv4_compatible"],
    ["64:ff9b::7f00:1", "ipv4_translated"],
    ["64:ff9b::127.0.0.1", "ipv4_translated"],
    ["64:ff9b::a9fe:a9fe", "ipv4_translated"],
    ["64:ff9b::a00:1", "ipv4_translated"],
    ["2002:7f00:1::1", "ipv4_translated"],
    ["2002:808:808::1", "ipv4_translated"],
    ["2001::1", "ipv4_translated"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "ipv4_translated"],
    ["0177.0.0.1", "not_an_address"],
    ["127.1", "not_an_address"],
    ["2130706433", "not_an_address"],
    ["0x7f.0.0.1", "not_an_address"],
    ["fe80::1%eth0", "not_an_address"],
    ["localhost", "not_an_address"],
    ["", "not_an_address"],
  ])("forbids %s as %s", (address, category) => {
    expect(forbiddenAddress(address)).toMatchObject({ address, category });
  });

  it.each([
    "1.1.1.1",
    "8.8.8.8",
    "9.255.255.255",
    "11.0.0.0",
    "100.63.255.255",
    "100.128.0.0",
    "126.255.255.255",
    "128.0.0.0",
    "169.253.255.255",
    "169.255.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.167.255.255",
    "192.169.0.0",
    "223.255.255.255",
    "168.63.129.15",
    "168.63.129.17",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80e::200e",
    "64:ff9b::808:808",
    "64:ff9b::8.8.8.8",
  ])("allows the public address %s", (address) => {
    expect(forbiddenAddress(address)).toBeUndefined();
  });

  it("forbids AWS's other IPv6 service addresses by the unique-local range around its metadata address", () => {
    for (const address of ["fd00:ec2::253", "fd00:ec2::23", "fd00:ec2::1"]) {
      expect(forbiddenAddress(address)).toStrictEqual({
        address,
        category: "private",
        range: "fc00::/7",
      });
    }
  });

  it("names the range that forbids an address", () => {
    expect(forbiddenAddress("10.1.2.3")).toStrictEqual({
      address: "10.1.2.3",
      category: "private",
      range: "10.0.0.0/8",
    });
    expect(forbiddenAddress("64:ff9b::a9fe:a9fe")?.range).toBe(
      "64:ff9b::/96 embedding 169.254.169.254 in 169.254.169.254/32",
    );
  });
});
