import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEgressPolicy } from "./egress-policy.js";
import {
  type EgressTestServer,
  respond,
  startEgressTestServer,
} from "./testing/egress-test-server.js";
import { startLocalServer } from "./testing/local-server.js";

let t: EgressTestServer;

beforeAll(async () => {
  t = await startEgressTestServer();
});

afterAll(async () => {
  await t.api.close();
});

describe("sendEgressRequest: allowed requests", () => {
  it("sends a request to a named test host and returns status, headers and body", async () => {
    const response = await t.send({ url: `${t.base}/echo?x=1` });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.headers["x-reply"]).toBe("a, b");
    expect(JSON.parse(Buffer.from(response.body).toString())).toStrictEqual({
      method: "GET",
      url: "/echo?x=1",
      body: "",
    });
    expect(response).toMatchObject({ url: `${t.base}/echo?x=1`, address: "127.0.0.1" });
  });

  it("sends the method, headers and body, with Host and Content-Length set by the guard", async () => {
    await t.send({
      method: "post",
      url: `${t.base}/echo`,
      headers: { "Content-Type": "application/json", "X-Api-Key": "k" },
      body: '{"to":"ü"}',
    });
    const seen = t.api.seen.at(-1);
    expect(seen).toMatchObject({ method: "POST", url: "/echo", body: '{"to":"ü"}' });
    expect(seen?.headers).toMatchObject({
      host: `api.test:${t.api.port}`,
      "content-type": "application/json",
      "x-api-key": "k",
      "content-length": "11",
    });
  });

  it("sends a HEAD request and returns an empty body", async () => {
    const response = await t.send({ method: "HEAD", url: `${t.base}/echo` });
    expect(response.status).toBe(200);
    expect(response.body.byteLength).toBe(0);
  });

  it("refuses plain http to a host the host policy does not list, before connecting", async () => {
    const strict = createEgressPolicy([{ host: "api.test", port: t.api.port }], {
      loopbackHosts: ["api.test"],
    });
    const before = t.api.seen.length;
    await t.expectFailure({ url: `${t.base}/echo` }, "scheme_not_allowed", "api.test", strict);
    expect(t.api.seen.length).toBe(before);
  });

  it("reports a refused connection with the host and address", async () => {
    const closed = await startLocalServer(respond);
    await closed.close();
    const using = createEgressPolicy([{ host: "api.test", port: closed.port }], {
      plainHttpHosts: ["api.test"],
      loopbackHosts: ["api.test"],
    });
    const error = await t.expectFailure(
      { url: `http://api.test:${closed.port}/` },
      "connection_failed",
      "api.test",
      using,
    );
    expect(error.address).toBe("127.0.0.1");
    expect(error.message).toContain("ECONNREFUSED");
  });
});
