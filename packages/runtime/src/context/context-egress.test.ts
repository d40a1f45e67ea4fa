import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { respond } from "../egress/testing/egress-test-server.js";
import { type LocalServer, startLocalServer } from "../egress/testing/local-server.js";
import { stubLookup } from "../egress/testing/stub-lookup.js";
import { refusal } from "./testing/context-fixture.js";
import { realEgressContext } from "./testing/real-egress-context.js";

// A plugin context wired as a host wires it: `http` goes through the real egress guard, with
// the policy made from the manifest's grants, names answered by a stub resolver, and test
// servers on 127.0.0.1. Only `api.test` is a named loopback (and plain-http) test host.

const FORBIDDEN_NAMES: ReadonlyArray<readonly [string, string]> = [
  ["internal.test", "10.0.0.7"],
  ["metadata.test", "169.254.169.254"],
  ["azure.test", "168.63.129.16"],
  ["cgnat.test", "100.64.0.9"],
  ["loop.test", "127.0.0.1"],
  ["mapped.test", "::ffff:127.0.0.1"],
  ["nat64.test", "64:ff9b::a9fe:a9fe"],
  ["ula.test", "fd00:ec2::254"],
  ["octal.test", "0177.0.0.1"],
];

let api: LocalServer;

beforeAll(async () => {
  api = await startLocalServer(respond);
});

afterAll(async () => {
  await api.close();
});

function setUp() {
  const lookup = stubLookup({
    "api.test": [["127.0.0.1"]],
    ...Object.fromEntries(FORBIDDEN_NAMES.map(([name, address]) => [name, [[address]]])),
  });
  return realEgressContext({
    permissions: [
      `network:outbound:api.test:${api.port}`,
      ...FORBIDDEN_NAMES.map(([name]) => `network:outbound:${name}`),
      "network:outbound:127.0.0.1",
      "network:outbound:0.0.0.0",
      "network:outbound:10.0.0.1",
      "network:outbound:169.254.169.254",
      "network:outbound:168.63.129.16",
      "network:outbound:100.64.0.1",
    ],
    hostPolicy: { plainHttpHosts: ["api.test"], loopbackHosts: ["api.test"] },
    lookup,
  });
}

/** The refusal of a request, checking that the test server saw nothing of it. */
async function refused(url: string) {
  const { context } = setUp();
  const before = api.seen.length;
  const result = await refusal(() => context.http.request({ url }));
  expect(api.seen.length).toBe(before);
  return result;
}

const redirectTo = (location: string) =>
  `http://api.test:${api.port}/redirect?to=${encodeURIComponent(location.replaceAll("PORT", String(api.port)))}`;

describe("http through the egress guard: allowed", () => {
  it("reaches the named loopback test host", async () => {
    const { context } = setUp();
    const response = await context.http.request({
      method: "POST",
      url: `http://api.test:${api.port}/echo`,
      body: { ping: 1 },
    });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ method: "POST", url: "/echo", body: '{"ping":1}' });
  });
});

describe("http through the egress guard: refused", () => {
  it.each([
    ["https://2130706433/", "127.0.0.1"],
    ["https://0x7f.1/", "127.0.0.1"],
    ["https://0177.0.0.1/", "127.0.0.1"],
    ["https://127.1/", "127.0.0.1"],
    ["https://0/", "0.0.0.0"],
    ["https://012.0.0.1/", "10.0.0.1"],
    ["https://0xa9fea9fe/", "169.254.169.254"],
    ["https://2852039166/", "169.254.169.254"],
    ["https://168.63.129.16/", "168.63.129.16"],
    ["https://100.64.0.1/", "100.64.0.1"],
  ])("refuses the address literal %s (%s), even granted", async (url, address) => {
    const result = await refused(url);
    expect(result.code).toBe("egress_denied");
    expect(result.message).toMatch(
      new RegExp(
        `^http\\.request: ${address.replaceAll(".", "\\.")} is .*\\(forbidden_address\\)$`,
      ),
    );
  });

  it("refuses an IPv6 literal, which no permission can grant", async () => {
    expect(await refused("https://[::ffff:127.0.0.1]/")).toEqual({
      code: "permission_denied",
      message:
        'http.request needs the permission "network:outbound:[::ffff:7f00:1]", which plugin "connector.echo" was not granted',
    });
  });

  it.each(FORBIDDEN_NAMES)(
    "refuses a granted name that resolves to %s (%s)",
    async (name, address) => {
      const result = await refused(`https://${name}/`);
      expect(result).toEqual({
        code: "egress_denied",
        message: expect.stringMatching(
          new RegExp(
            `^http\\.request: ${name.replace(".", "\\.")} resolves to ${address.replaceAll(".", "\\.")}, which is .*\\(forbidden_address\\)$`,
          ),
        ),
      });
    },
  );

  it.each([
    ["the metadata address", "https://169.254.169.254/latest/meta-data/", "forbidden_address"],
    ["a granted name with a private address", "https://internal.test/", "forbidden_address"],
    ["a granted name with a mapped loopback address", "https://mapped.test/", "forbidden_address"],
    ["a host that is not granted", "https://evil.test/", "host_not_granted"],
    ["a look-alike with the granted name as suffix", "https://evil-api.test/", "host_not_granted"],
    ["the granted name under another domain", "https://api.test.evil.test/", "host_not_granted"],
    ["userinfo naming the granted host", "https://api.test@evil.test/", "userinfo"],
    ["userinfo on the granted host", "http://attacker@api.test:PORT/echo", "userinfo"],
    ["a port that is not granted", "http://api.test:1/echo", "port_not_granted"],
    ["plain http to a host not listed for it", "http://internal.test/", "scheme_not_allowed"],
  ])("refuses a redirect to %s", async (_label, location, reason) => {
    const { context } = setUp();
    const before = api.seen.length;
    const result = await refusal(() => context.http.request({ url: redirectTo(location) }));
    expect(result.code).toBe("egress_denied");
    expect(result.message).toMatch(new RegExp(`\\(${reason}\\)$`));
    expect(api.seen.length).toBe(before + 1);
  });

  it("refuses suffix, userinfo and port tricks sent directly, before any connection", async () => {
    expect(await refused("https://evil-api.test/")).toMatchObject({
      code: "permission_denied",
      message: expect.stringContaining('"network:outbound:evil-api.test"'),
    });
    expect(await refused("https://api.test@evil.test/")).toMatchObject({
      code: "permission_denied",
      message: expect.stringContaining('"network:outbound:evil.test"'),
    });
    expect(await refused(`http://attacker@api.test:${api.port}/echo`)).toEqual({
      code: "egress_denied",
      message:
        "http.request: the URL to api.test carries a user name or password; credentials go in headers (userinfo)",
    });
    expect(await refused(`http://api.test:${api.port + 1}/echo`)).toMatchObject({
      code: "permission_denied",
      message: expect.stringContaining(`"network:outbound:api.test:${api.port + 1}"`),
    });
  });
});

describe("http through the egress guard: DNS rebinding", () => {
  // The name first resolves to 127.0.0.2 (loopback, allowed for this test host), where one
  // server listens; later answers move it. On 127.0.0.1 another server listens on the same
  // port: a guard that resolved the name again when connecting would reach it.
  let checked: LocalServer;
  let rebound: LocalServer;

  beforeAll(async () => {
    rebound = await startLocalServer((_request, response) => response.end("rebound"));
    checked = await startLocalServer((_request, response) => response.end("checked"), {
      address: "127.0.0.2",
      port: rebound.port,
    });
  });

  afterAll(async () => {
    await Promise.all([checked.close(), rebound.close()]);
  });

  function rebinding(later: string) {
    const lookup = stubLookup({ "rebind.test": [["127.0.0.2"], [later]] });
    const { context } = realEgressContext({
      permissions: [`network:outbound:rebind.test:${rebound.port}`],
      hostPolicy: { plainHttpHosts: ["rebind.test"], loopbackHosts: ["rebind.test"] },
      lookup,
    });
    return { context, lookup, url: `http://rebind.test:${rebound.port}/` };
  }

  it("connects to the address it checked, whatever the name resolves to by then", async () => {
    const { context, lookup, url } = rebinding("127.0.0.1");
    const response = await context.http.request({ url });
    expect(response.body).toBe("checked");
    expect(lookup.calls).toEqual(["rebind.test"]);
    expect(rebound.seen).toEqual([]);
  });

  it("refuses the name on the next request once it resolves to a forbidden address", async () => {
    const { context, url } = rebinding("169.254.169.254");
    await context.http.request({ url });
    expect(await refusal(() => context.http.request({ url }))).toEqual({
      code: "egress_denied",
      message:
        "http.request: rebind.test resolves to 169.254.169.254, which is metadata (169.254.169.254/32) (forbidden_address)",
    });
    expect(rebound.seen).toEqual([]);
  });
});
