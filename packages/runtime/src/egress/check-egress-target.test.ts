import { describe, expect, it } from "vitest";
import { checkEgressTarget } from "./check-egress-target.js";
import { EgressDeniedError, EgressError, type EgressErrorReason } from "./egress-errors.js";
import { createEgressPolicy, type EgressGrant, type EgressHostPolicy } from "./egress-policy.js";
import type { HostLookup } from "./host-lookup.js";
import { stubLookup } from "./testing/stub-lookup.js";

const PUBLIC = "93.184.215.14";

const lookup = stubLookup({
  "allowed.example": [[PUBLIC]],
  "evil.example": [["203.0.113.50"]],
  "evil-allowed.example": [[PUBLIC]],
  "allowed.example.evil.example": [[PUBLIC]],
  "xn--bcher-kva.example": [[PUBLIC]],
  "test.local": [["127.0.0.1"]],
});

const allowed = createEgressPolicy([{ host: "allowed.example" }]);

async function refusal(
  url: string,
  policy = allowed,
  resolver: HostLookup = lookup,
): Promise<EgressError> {
  try {
    await checkEgressTarget(url, policy, resolver);
  } catch (error) {
    if (error instanceof EgressError) return error;
    throw error;
  }
  throw new Error(`expected ${url} to be refused`);
}

async function expectRefused(
  url: string,
  reason: EgressErrorReason,
  host: string,
  policy = allowed,
  resolver: HostLookup = lookup,
): Promise<EgressError> {
  const error = await refusal(url, policy, resolver);
  expect({ reason: error.reason, host: error.host }).toStrictEqual({ reason, host });
  return error;
}

describe("checkEgressTarget: hosts and ports", () => {
  it("pins a granted https host to the address it resolved to", async () => {
    const target = await checkEgressTarget("https://allowed.example/v1?x=1", allowed, lookup);
    expect(target).toMatchObject({
      host: "allowed.example",
      port: 443,
      address: PUBLIC,
      family: 4,
      literal: false,
    });
    expect(target.url.href).toBe("https://allowed.example/v1?x=1");
  });

  it("denies everything when nothing is granted", async () => {
    await expectRefused(
      "https://allowed.example/",
      "host_not_granted",
      "allowed.example",
      createEgressPolicy([]),
    );
  });

  it.each([
    [
      "a look-alike with the granted name as suffix",
      "https://evil-allowed.example/",
      "evil-allowed.example",
    ],
    [
      "the granted name as a subdomain of another",
      "https://allowed.example.evil.example/",
      "allowed.example.evil.example",
    ],
    ["a subdomain of the granted name", "https://api.allowed.example/", "api.allowed.example"],
    ["the parent of the granted name", "https://example/", "example"],
    [
      "a backslash that the URL parser reads as a path",
      "https://evil.example\\@allowed.example/",
      "evil.example",
    ],
  ])("refuses %s", async (_label, url, host) => {
    await expectRefused(url, "host_not_granted", host);
  });

  it.each([
    ["upper case", "https://ALLOWED.Example/"],
    ["a trailing dot", "https://allowed.example./"],
    ["full-width letters", "https://ａｌｌｏｗｅｄ.example/"],
    ["an explicit default port", "https://allowed.example:443/"],
  ])("matches the granted host written with %s", async (_label, url) => {
    const target = await checkEgressTarget(url, allowed, lookup);
    expect(target.host).toBe("allowed.example");
    expect(target.port).toBe(443);
  });

  it("matches an internationalised host by its ASCII form", async () => {
    const policy = createEgressPolicy([{ host: "bücher.example" }]);
    const target = await checkEgressTarget("https://BÜCHER.example/", policy, lookup);
    expect(target.host).toBe("xn--bcher-kva.example");
  });

  it.each([
    ["a user name", "https://allowed.example@evil.example/", "evil.example"],
    ["a user name and password", "https://user:pass@allowed.example/", "allowed.example"],
    ["a password only", "https://:pass@allowed.example/", "allowed.example"],
  ])("refuses a URL with %s", async (_label, url, host) => {
    await expectRefused(url, "userinfo", host);
  });

  it("refuses a port that is not granted, and grants only the default port without one", async () => {
    await expectRefused("https://allowed.example:8443/", "port_not_granted", "allowed.example");
    const withPort = createEgressPolicy([{ host: "allowed.example", port: 8443 }]);
    expect((await checkEgressTarget("https://allowed.example:8443/", withPort, lookup)).port).toBe(
      8443,
    );
    await expectRefused(
      "https://allowed.example/",
      "port_not_granted",
      "allowed.example",
      withPort,
    );
  });

  it.each([
    ["plain http", "http://allowed.example/"],
    ["ftp", "ftp://allowed.example/"],
    ["file", "file://allowed.example/etc/passwd"],
    ["ws", "ws://allowed.example/"],
    ["data", "data:text/plain,hello"],
    ["javascript", "javascript:alert(1)"],
  ])("refuses %s", async (_label, url) => {
    const error = await refusal(url);
    expect(error.reason).toBe("scheme_not_allowed");
  });

  it("allows plain http only to a host the host policy lists", async () => {
    const policy = createEgressPolicy(
      [{ host: "allowed.example" }, { host: "test.local", port: 8080 }],
      {
        plainHttpHosts: ["test.local"],
        loopbackHosts: ["test.local"],
      },
    );
    expect((await checkEgressTarget("http://test.local:8080/", policy, lookup)).address).toBe(
      "127.0.0.1",
    );
    await expectRefused("http://allowed.example/", "scheme_not_allowed", "allowed.example", policy);
  });

  it("refuses a URL that does not parse", async () => {
    await expectRefused("not a url", "invalid_request", "");
    await expectRefused("https://allowed.example:99999/", "invalid_request", "");
  });

  it("refuses a name that does not resolve, naming it", async () => {
    const policy = createEgressPolicy([{ host: "missing.example" }]);
    const error = await expectRefused(
      "https://missing.example/",
      "dns_failed",
      "missing.example",
      policy,
    );
    expect(error.message).toBe("missing.example did not resolve (ENOTFOUND)");
    const empty = stubLookup({ "missing.example": [[]] });
    await expectRefused("https://missing.example/", "dns_failed", "missing.example", policy, empty);
  });
});

// Every IPv4 encoding the WHATWG URL parser accepts becomes dotted decimal before the guard
// sees it, so each one is checked as the address it really is.
const LITERAL_FORMS: ReadonlyArray<readonly [string, string]> = [
  ["https://127.0.0.1/", "127.0.0.1"],
  ["https://2130706433/", "127.0.0.1"],
  ["https://0x7f000001/", "127.0.0.1"],
  ["https://0x7f.1/", "127.0.0.1"],
  ["https://0177.0.0.1/", "127.0.0.1"],
  ["https://0177.0.0.01/", "127.0.0.1"],
  ["https://127.1/", "127.0.0.1"],
  ["https://127.0.1/", "127.0.0.1"],
  ["https://127.0.0.1./", "127.0.0.1"],
  ["https://%31%32%37.0.0.1/", "127.0.0.1"],
  ["https://0/", "0.0.0.0"],
  ["https://0.0.0.0/", "0.0.0.0"],
  ["https://10.0.0.1/", "10.0.0.1"],
  ["https://012.0.0.1/", "10.0.0.1"],
  ["https://169.254.169.254/", "169.254.169.254"],
  ["https://0xa9fea9fe/", "169.254.169.254"],
  ["https://2852039166/", "169.254.169.254"],
  ["https://0251.0376.0251.0376/", "169.254.169.254"],
  ["https://100.64.0.1/", "100.64.0.1"],
  ["https://[::1]/", "::1"],
  ["https://[0:0:0:0:0:0:0:1]/", "::1"],
  ["https://[::]/", "::"],
  ["https://[::ffff:127.0.0.1]/", "::ffff:7f00:1"],
  ["https://[::ffff:7f00:1]/", "::ffff:7f00:1"],
  ["https://[0:0:0:0:0:ffff:a9fe:a9fe]/", "::ffff:a9fe:a9fe"],
  ["https://[::127.0.0.1]/", "::7f00:1"],
  ["https://[64:ff9b::127.0.0.1]/", "64:ff9b::7f00:1"],
  ["https://[fd00:ec2::254]/", "fd00:ec2::254"],
  ["https://[fe80::1]/", "fe80::1"],
  ["https://[fc00::1]/", "fc00::1"],
];

describe("checkEgressTarget: addresses written in the URL", () => {
  it.each(LITERAL_FORMS)("refuses %s when only a name is granted", async (url) => {
    const error = await refusal(url);
    expect(error.reason).toBe("host_not_granted");
  });

  it.each(LITERAL_FORMS)(
    "refuses %s as %s even when that address is granted",
    async (url, address) => {
      const host = new URL(url).hostname;
      const policy = createEgressPolicy([{ host }]);
      const error = await expectRefused(url, "forbidden_address", host, policy);
      expect(error).toBeInstanceOf(EgressDeniedError);
      expect(error.address).toBe(address);
    },
  );

  it("reaches a granted public address without asking the resolver", async () => {
    const none = stubLookup({});
    const policy = createEgressPolicy([{ host: PUBLIC }]);
    const target = await checkEgressTarget(`https://${PUBLIC}/`, policy, none);
    expect(target).toMatchObject({ host: PUBLIC, address: PUBLIC, literal: true });
    expect(none.calls).toStrictEqual([]);
  });
});

const FORBIDDEN_ANSWERS = [
  "127.0.0.1",
  "127.53.53.53",
  "::1",
  "10.1.2.3",
  "172.16.0.1",
  "192.168.0.1",
  "fd12:3456::1",
  "169.254.0.1",
  "fe80::1",
  "169.254.169.254",
  "fd00:ec2::254",
  "100.100.100.200",
  "0.0.0.0",
  "::",
  "224.0.0.251",
  "ff02::fb",
  "255.255.255.255",
  "240.0.0.1",
  "::ffff:127.0.0.1",
  "::ffff:7f00:1",
  "::ffff:a9fe:a9fe",
  "::7f00:1",
  "64:ff9b::7f00:1",
  "64:ff9b::a9fe:a9fe",
  "2002:a9fe:a9fe::1",
  "0177.0.0.1",
  "2130706433",
  "127.1",
  "fe80::1%eth0",
  "not-an-address",
];

describe("checkEgressTarget: names that resolve to forbidden addresses", () => {
  const policy = createEgressPolicy([{ host: "rebind.example" }]);

  it.each(FORBIDDEN_ANSWERS)("refuses a name that resolves to %s", async (address) => {
    const resolver = stubLookup({ "rebind.example": [[address]] });
    const error = await expectRefused(
      "https://rebind.example/",
      "forbidden_address",
      "rebind.example",
      policy,
      resolver,
    );
    expect(error.address).toBe(address);
    expect(error.message).toMatch(
      new RegExp(`^rebind\\.example resolves to ${address.replace(/[.]/g, "\\.")}, which is `),
    );
  });

  it.each<[string, string]>([
    ["168.63.129.16", "metadata (168.63.129.16/32)"],
    ["fd00:ec2::254", "metadata (fd00:ec2::254/128)"],
    ["fd00:ec2::253", "private (fc00::/7)"],
    ["198.18.0.1", "reserved (198.18.0.0/15)"],
    ["198.19.255.254", "reserved (198.18.0.0/15)"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "ipv4_translated (2001::/32)"],
    ["2002:808:808::1", "ipv4_translated (2002::/16)"],
    ["2002:c0a8:101::1", "ipv4_translated (2002::/16)"],
    ["64:ff9b::a00:1", "ipv4_translated (64:ff9b::/96 embedding 10.0.0.1 in 10.0.0.0/8)"],
    [
      "64:ff9b::a83f:8110",
      "ipv4_translated (64:ff9b::/96 embedding 168.63.129.16 in 168.63.129.16/32)",
    ],
    ["64:ff9b::7f00:1", "ipv4_translated (64:ff9b::/96 embedding 127.0.0.1 in 127.0.0.0/8)"],
    ["239.1.2.3", "multicast (224.0.0.0/4)"],
    ["ff05::1:3", "multicast (ff00::/8)"],
    ["240.0.0.1", "reserved (240.0.0.0/4)"],
    ["255.255.255.254", "reserved (240.0.0.0/4)"],
  ])("refuses a name that resolves to %s, as %s", async (address, why) => {
    const resolver = stubLookup({ "rebind.example": [[address]] });
    const error = await expectRefused(
      "https://rebind.example/",
      "forbidden_address",
      "rebind.example",
      policy,
      resolver,
    );
    expect(error.message).toBe(`rebind.example resolves to ${address}, which is ${why}`);
  });

  it("reaches a name that resolves to NAT64 around a public IPv4 address", async () => {
    const resolver = stubLookup({ "rebind.example": [["64:ff9b::808:808"]] });
    const target = await checkEgressTarget("https://rebind.example/", policy, resolver);
    expect(target).toMatchObject({ address: "64:ff9b::808:808", family: 6 });
  });

  it("refuses a name when any one of its addresses is forbidden", async () => {
    const resolver = stubLookup({ "rebind.example": [[PUBLIC, "2606:4700::1", "10.0.0.5"]] });
    const error = await expectRefused(
      "https://rebind.example/",
      "forbidden_address",
      "rebind.example",
      policy,
      resolver,
    );
    expect(error.address).toBe("10.0.0.5");
  });

  it("pins the first address when every address is public", async () => {
    const resolver = stubLookup({ "rebind.example": [["2606:4700::1", PUBLIC]] });
    const target = await checkEgressTarget("https://rebind.example/", policy, resolver);
    expect(target).toMatchObject({ address: "2606:4700::1", family: 6 });
  });

  it("resolves once and pins the first answer, whatever a later lookup would say", async () => {
    const resolver = stubLookup({ "rebind.example": [[PUBLIC], ["127.0.0.1"]] });
    const target = await checkEgressTarget("https://rebind.example/", policy, resolver);
    expect(target.address).toBe(PUBLIC);
    expect(resolver.calls).toStrictEqual(["rebind.example"]);
  });
});

describe("checkEgressTarget: loopback test hosts", () => {
  const hostPolicy: EgressHostPolicy = { loopbackHosts: ["test.local"] };
  const grants: EgressGrant[] = [
    { host: "test.local" },
    { host: "other.local" },
    { host: "127.0.0.1" },
  ];
  const policy = createEgressPolicy(grants, hostPolicy);

  it("lets a named loopback test host resolve to 127.0.0.1 or ::1", async () => {
    for (const address of ["127.0.0.1", "127.0.0.2", "::1"]) {
      const resolver = stubLookup({ "test.local": [[address]] });
      expect((await checkEgressTarget("https://test.local/", policy, resolver)).address).toBe(
        address,
      );
    }
  });

  it("keeps every other forbidden address forbidden for that host", async () => {
    for (const address of ["10.0.0.1", "169.254.169.254", "::ffff:127.0.0.1", "0.0.0.0"]) {
      const resolver = stubLookup({ "test.local": [[address]] });
      await expectRefused(
        "https://test.local/",
        "forbidden_address",
        "test.local",
        policy,
        resolver,
      );
    }
  });

  it("keeps loopback forbidden for a granted host the host policy does not name", async () => {
    const resolver = stubLookup({ "other.local": [["127.0.0.1"]] });
    await expectRefused(
      "https://other.local/",
      "forbidden_address",
      "other.local",
      policy,
      resolver,
    );
    await expectRefused("https://127.0.0.1/", "forbidden_address", "127.0.0.1", policy, resolver);
  });
});
