import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EgressDeniedError, type EgressErrorReason } from "./egress-errors.js";
import { type EgressTestServer, startEgressTestServer } from "./testing/egress-test-server.js";

let t: EgressTestServer;

beforeAll(async () => {
  t = await startEgressTestServer();
});

afterAll(async () => {
  await t.api.close();
});

describe("sendEgressRequest: redirects", () => {
  const to = (location: string, status = 302) =>
    `${t.base}/redirect?status=${status}&to=${encodeURIComponent(location)}`;

  it("follows a redirect to a granted host and reports the final URL", async () => {
    const response = await t.send({ url: to(`http://other.test:${t.api.port}/echo`) });
    expect(response.status).toBe(200);
    expect(response.url).toBe(`http://other.test:${t.api.port}/echo`);
    expect(t.api.seen.at(-1)?.headers.host).toBe(`other.test:${t.api.port}`);
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
    const before = t.api.seen.length;
    await t.expectFailure({ url: to(location.replace("PORT", String(t.api.port))) }, reason, host);
    expect(t.api.seen.length).toBe(before + 1);
  });

  it("stops after the policy's number of redirects", async () => {
    const using = t.testPolicy({ maxRedirects: 2 });
    const loop = to(to(to("/echo")));
    await t.expectFailure({ url: loop }, "too_many_redirects", "api.test", using);
    const response = await t.send({ url: to(to("/echo")) }, using);
    expect(response.status).toBe(200);
  });

  it("follows no redirect when the policy allows none", async () => {
    const error = await t.expectFailure(
      { url: to("/echo") },
      "too_many_redirects",
      "api.test",
      t.testPolicy({ maxRedirects: 0 }),
    );
    expect(error).toBeInstanceOf(EgressDeniedError);
  });

  it("sends POST again as GET after a 303, and keeps it after a 307", async () => {
    await t.send({ method: "POST", url: to("/echo", 303), body: "x" });
    expect(t.api.seen.at(-1)).toMatchObject({ method: "GET", body: "" });
    await t.send({ method: "POST", url: to("/echo", 307), body: "x" });
    expect(t.api.seen.at(-1)).toMatchObject({ method: "POST", body: "x" });
  });

  it("leaves credential headers behind on a redirect to another host", async () => {
    await t.send({
      url: to(`http://other.test:${t.api.port}/echo`),
      headers: { authorization: "Bearer t", "x-api-key": "k", accept: "text/plain" },
    });
    const [first, second] = t.api.seen.slice(-2);
    expect(first?.headers).toMatchObject({ authorization: "Bearer t", "x-api-key": "k" });
    expect(second?.headers.authorization).toBeUndefined();
    expect(second?.headers["x-api-key"]).toBeUndefined();
    expect(second?.headers.accept).toBe("text/plain");
  });

  it("returns a redirect without a Location as the response", async () => {
    const response = await t.send({ url: `${t.base}/no-location` });
    expect(response.status).toBe(302);
  });
});
