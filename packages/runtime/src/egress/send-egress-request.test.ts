import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EgressDeniedError, EgressError, type EgressErrorReason } from "./egress-errors.js";
import { createEgressPolicy, type EgressHostPolicy, type EgressPolicy } from "./egress-policy.js";
import type { EgressRequest } from "./egress-request.js";
import type { HostLookup } from "./host-lookup.js";
import { type SendEgressOptions, sendEgressRequest } from "./send-egress-request.js";
import { type LocalServer, type SeenRequest, startLocalServer } from "./testing/local-server.js";
import { selfSignedCertificate, type TestCertificate } from "./testing/self-signed-certificate.js";
import { stubLookup } from "./testing/stub-lookup.js";

const CAP = 1024;

function respond(request: SeenRequest, response: ServerResponse): void {
  const url = new URL(request.url, "http://server");
  switch (url.pathname) {
    case "/echo":
      response.writeHead(200, { "content-type": "application/json", "x-reply": ["a", "b"] });
      response.end(
        JSON.stringify({ method: request.method, url: request.url, body: request.body }),
      );
      return;
    case "/redirect":
      response.writeHead(Number(url.searchParams.get("status") ?? 302), {
        location: url.searchParams.get("to") ?? "/echo",
      });
      response.end();
      return;
    case "/no-location":
      response.writeHead(302);
      response.end();
      return;
    case "/declared-large":
      response.writeHead(200, { "content-length": String(CAP + 1) });
      response.end("x".repeat(CAP + 1));
      return;
    case "/streamed-large": {
      response.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => response.write("x".repeat(256)), 5);
      response.on("close", () => clearInterval(timer));
      return;
    }
    case "/exactly-cap":
      response.writeHead(200);
      response.end("x".repeat(CAP));
      return;
    case "/hang":
      return;
    case "/drip": {
      response.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => response.write("."), 20);
      response.on("close", () => clearInterval(timer));
      return;
    }
    default:
      response.writeHead(404);
      response.end();
  }
}

async function failure(run: () => Promise<unknown>): Promise<EgressError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof EgressError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

let api: LocalServer;
let policy: EgressPolicy;
let lookup: HostLookup;
let base: string;

function send(
  request: EgressRequest,
  using: EgressPolicy = policy,
  options: SendEgressOptions = {},
) {
  return sendEgressRequest(request, using, { lookup, ...options });
}

async function expectFailure(
  request: EgressRequest,
  reason: EgressErrorReason,
  host: string,
  using: EgressPolicy = policy,
  options: SendEgressOptions = {},
): Promise<EgressError> {
  const error = await failure(() => send(request, using, options));
  expect({ reason: error.reason, host: error.host }).toStrictEqual({ reason, host });
  return error;
}

function testPolicy(extra: Partial<EgressHostPolicy> = {}): EgressPolicy {
  const hosts = ["api.test", "other.test", "internal.test", "loop.test"];
  return createEgressPolicy(
    hosts.map((host) => ({ host, port: api.port })),
    {
      plainHttpHosts: hosts,
      loopbackHosts: ["api.test", "other.test"],
      maxResponseBytes: CAP,
      ...extra,
    },
  );
}

beforeAll(async () => {
  api = await startLocalServer(respond);
  base = `http://api.test:${api.port}`;
  lookup = stubLookup({
    "api.test": [["127.0.0.1"]],
    "other.test": [["127.0.0.1"]],
    "internal.test": [["10.0.0.7"]],
    "loop.test": [["127.0.0.1"]],
  });
  policy = testPolicy();
});

afterAll(async () => {
  await api.close();
});

describe("sendEgressRequest: allowed requests", () => {
  it("sends a request to a named test host and returns status, headers and body", async () => {
    const response = await send({ url: `${base}/echo?x=1` });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.headers["x-reply"]).toBe("a, b");
    expect(JSON.parse(Buffer.from(response.body).toString())).toStrictEqual({
      method: "GET",
      url: "/echo?x=1",
      body: "",
    });
    expect(response).toMatchObject({ url: `${base}/echo?x=1`, address: "127.0.0.1" });
  });

  it("sends the method, headers and body, with Host and Content-Length set by the guard", async () => {
    await send({
      method: "post",
      url: `${base}/echo`,
      headers: { "Content-Type": "application/json", "X-Api-Key": "k" },
      body: '{"to":"ü"}',
    });
    const seen = api.seen.at(-1);
    expect(seen).toMatchObject({ method: "POST", url: "/echo", body: '{"to":"ü"}' });
    expect(seen?.headers).toMatchObject({
      host: `api.test:${api.port}`,
      "content-type": "application/json",
      "x-api-key": "k",
      "content-length": "11",
    });
  });

  it("sends a HEAD request and returns an empty body", async () => {
    const response = await send({ method: "HEAD", url: `${base}/echo` });
    expect(response.status).toBe(200);
    expect(response.body.byteLength).toBe(0);
  });

  it("refuses plain http to a host the host policy does not list, before connecting", async () => {
    const strict = createEgressPolicy([{ host: "api.test", port: api.port }], {
      loopbackHosts: ["api.test"],
    });
    const before = api.seen.length;
    await expectFailure({ url: `${base}/echo` }, "scheme_not_allowed", "api.test", strict);
    expect(api.seen.length).toBe(before);
  });

  it("reports a refused connection with the host and address", async () => {
    const closed = await startLocalServer(respond);
    await closed.close();
    const using = createEgressPolicy([{ host: "api.test", port: closed.port }], {
      plainHttpHosts: ["api.test"],
      loopbackHosts: ["api.test"],
    });
    const error = await expectFailure(
      { url: `http://api.test:${closed.port}/` },
      "connection_failed",
      "api.test",
      using,
    );
    expect(error.address).toBe("127.0.0.1");
    expect(error.message).toContain("ECONNREFUSED");
  });
});

describe("sendEgressRequest: https", () => {
  let secure: LocalServer;
  let certificate: TestCertificate;
  let secureUrl: string;
  let trusting: EgressPolicy;

  beforeAll(async () => {
    certificate = selfSignedCertificate(["secure.test"]);
    secure = await startLocalServer(respond, { certificate });
    secureUrl = `https://secure.test:${secure.port}`;
    trusting = createEgressPolicy(
      [
        { host: "secure.test", port: secure.port },
        { host: "wrong.test", port: secure.port },
      ],
      {
        loopbackHosts: ["secure.test", "wrong.test"],
        trustedCertificates: [certificate.cert],
      },
    );
  });

  const secureLookup = stubLookup({
    "secure.test": [["127.0.0.1"]],
    "wrong.test": [["127.0.0.1"]],
  });

  afterAll(async () => {
    await secure.close();
  });

  it("connects to the pinned address with the host name as SNI and Host", async () => {
    const response = await send({ url: `${secureUrl}/echo` }, trusting, { lookup: secureLookup });
    expect(response.status).toBe(200);
    expect(secure.seen.at(-1)).toMatchObject({
      servername: "secure.test",
      headers: expect.objectContaining({ host: `secure.test:${secure.port}` }),
    });
  });

  it("refuses a certificate that is not trusted", async () => {
    const untrusting = createEgressPolicy([{ host: "secure.test", port: secure.port }], {
      loopbackHosts: ["secure.test"],
    });
    const error = await expectFailure(
      { url: `${secureUrl}/echo` },
      "connection_failed",
      "secure.test",
      untrusting,
      { lookup: secureLookup },
    );
    expect(error.message).toContain("SELF_SIGNED_CERT");
  });

  it("checks the certificate against the host name, not the address connected to", async () => {
    const error = await expectFailure(
      { url: `https://wrong.test:${secure.port}/echo` },
      "connection_failed",
      "wrong.test",
      trusting,
      { lookup: secureLookup },
    );
    expect(error.message).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
  });
});

describe("sendEgressRequest: DNS rebinding", () => {
  // A test cannot serve a public address, so the first answer is 127.0.0.2, a loopback
  // address the host policy allows for this host, and the second is 127.0.0.1, where a
  // different server listens on the same port. A guard that resolved again when connecting
  // would reach the second server.
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

  it("connects to the address it checked, not to what the name resolves to later", async () => {
    const rebinding = stubLookup({ "rebind.test": [["127.0.0.2"], ["127.0.0.1"]] });
    const using = createEgressPolicy([{ host: "rebind.test", port: rebound.port }], {
      plainHttpHosts: ["rebind.test"],
      loopbackHosts: ["rebind.test"],
    });
    const response = await send({ url: `http://rebind.test:${rebound.port}/` }, using, {
      lookup: rebinding,
    });
    expect(Buffer.from(response.body).toString()).toBe("checked");
    expect(response.address).toBe("127.0.0.2");
    expect(rebinding.calls).toStrictEqual(["rebind.test"]);
    expect(rebound.seen).toStrictEqual([]);
  });

  it("checks the name again on the next request and refuses the forbidden answer", async () => {
    const rebinding = stubLookup({ "rebind.test": [["127.0.0.2"], ["10.0.0.1"]] });
    const using = createEgressPolicy([{ host: "rebind.test", port: rebound.port }], {
      plainHttpHosts: ["rebind.test"],
      loopbackHosts: ["rebind.test"],
    });
    const url = `http://rebind.test:${rebound.port}/`;
    await send({ url }, using, { lookup: rebinding });
    const error = await expectFailure({ url }, "forbidden_address", "rebind.test", using, {
      lookup: rebinding,
    });
    expect(error.address).toBe("10.0.0.1");
  });
});

describe("sendEgressRequest: redirects", () => {
  const to = (location: string, status = 302) =>
    `${base}/redirect?status=${status}&to=${encodeURIComponent(location)}`;

  it("follows a redirect to a granted host and reports the final URL", async () => {
    const response = await send({ url: to(`http://other.test:${api.port}/echo`) });
    expect(response.status).toBe(200);
    expect(response.url).toBe(`http://other.test:${api.port}/echo`);
    expect(api.seen.at(-1)?.headers.host).toBe(`other.test:${api.port}`);
  });

  it.each<[string, string, EgressErrorReason, string]>([
    ["a host that is not granted", "https://evil.test/", "host_not_granted", "evil.test"],
    ["a look-alike host", "https://evil-api.test/", "host_not_granted", "evil-api.test"],
    [
      "the metadata address",
      "https://169.254.169.254/latest/",
      "host_not_granted",
      "169.254.169.254",
    ],
    ["a loopback address", "https://127.0.0.1/", "host_not_granted", "127.0.0.1"],
    ["a URL with userinfo", "https://api.test@evil.test/", "userinfo", "evil.test"],
    ["a port that is not granted", "http://api.test:1/", "port_not_granted", "api.test"],
    ["a non-http scheme", "file:///etc/passwd", "scheme_not_allowed", ""],
    [
      "plain http to an https-only host",
      "http://secure.test/",
      "scheme_not_allowed",
      "secure.test",
    ],
    [
      "a granted name with a private address",
      "http://internal.test:PORT/echo",
      "forbidden_address",
      "internal.test",
    ],
    [
      "a granted name with a loopback address",
      "http://loop.test:PORT/echo",
      "forbidden_address",
      "loop.test",
    ],
  ])("refuses a redirect to %s", async (_label, location, reason, host) => {
    const before = api.seen.length;
    await expectFailure({ url: to(location.replace("PORT", String(api.port))) }, reason, host);
    expect(api.seen.length).toBe(before + 1);
  });

  it("stops after the policy's number of redirects", async () => {
    const using = testPolicy({ maxRedirects: 2 });
    const loop = to(to(to("/echo")));
    await expectFailure({ url: loop }, "too_many_redirects", "api.test", using);
    const response = await send({ url: to(to("/echo")) }, using);
    expect(response.status).toBe(200);
  });

  it("follows no redirect when the policy allows none", async () => {
    const error = await expectFailure(
      { url: to("/echo") },
      "too_many_redirects",
      "api.test",
      testPolicy({ maxRedirects: 0 }),
    );
    expect(error).toBeInstanceOf(EgressDeniedError);
  });

  it("sends POST again as GET after a 303, and keeps it after a 307", async () => {
    await send({ method: "POST", url: to("/echo", 303), body: "x" });
    expect(api.seen.at(-1)).toMatchObject({ method: "GET", body: "" });
    await send({ method: "POST", url: to("/echo", 307), body: "x" });
    expect(api.seen.at(-1)).toMatchObject({ method: "POST", body: "x" });
  });

  it("leaves credential headers behind on a redirect to another host", async () => {
    await send({
      url: to(`http://other.test:${api.port}/echo`),
      headers: { authorization: "Bearer t", "x-api-key": "k", accept: "text/plain" },
    });
    const [first, second] = api.seen.slice(-2);
    expect(first?.headers).toMatchObject({ authorization: "Bearer t", "x-api-key": "k" });
    expect(second?.headers.authorization).toBeUndefined();
    expect(second?.headers["x-api-key"]).toBeUndefined();
    expect(second?.headers.accept).toBe("text/plain");
  });

  it("returns a redirect without a Location as the response", async () => {
    const response = await send({ url: `${base}/no-location` });
    expect(response.status).toBe(302);
  });
});

describe("sendEgressRequest: caps", () => {
  it("refuses a response whose declared length is over the cap", async () => {
    const error = await expectFailure(
      { url: `${base}/declared-large` },
      "response_too_large",
      "api.test",
    );
    expect(error.message).toBe(`the response from api.test is larger than ${CAP} bytes`);
  });

  it("aborts a streamed response as soon as it passes the cap", async () => {
    await expectFailure({ url: `${base}/streamed-large` }, "response_too_large", "api.test");
  });

  it("reads a response of exactly the cap", async () => {
    const response = await send({ url: `${base}/exactly-cap` });
    expect(response.body.byteLength).toBe(CAP);
  });

  it("times out a server that never answers, naming host and address", async () => {
    const error = await expectFailure(
      { url: `${base}/hang` },
      "timeout",
      "api.test",
      testPolicy({ timeoutMs: 150 }),
    );
    expect(error.message).toBe("the request to api.test (127.0.0.1) took longer than 150 ms");
    expect(error.address).toBe("127.0.0.1");
  });

  it("times out a body that keeps trickling in", async () => {
    await expectFailure(
      { url: `${base}/drip` },
      "timeout",
      "api.test",
      testPolicy({ timeoutMs: 150 }),
    );
  });

  it("applies a request's own time limit when it is lower than the policy's", async () => {
    const error = await expectFailure(
      { url: `${base}/hang`, timeoutMs: 100 },
      "timeout",
      "api.test",
    );
    expect(error.message).toContain("100 ms");
  });

  it("times out a resolver that never answers", async () => {
    const silent: HostLookup = () => new Promise(() => {});
    await expectFailure(
      { url: `${base}/echo` },
      "timeout",
      "api.test",
      testPolicy({ timeoutMs: 100 }),
      {
        lookup: silent,
      },
    );
  });

  it("stops when the caller cancels", async () => {
    const controller = new AbortController();
    const pending = send({ url: `${base}/hang` }, policy, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(() => pending);
    expect(error.reason).toBe("aborted");
  });
});
