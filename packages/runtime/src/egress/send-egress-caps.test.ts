import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostLookup } from "./host-lookup.js";
import {
  CAP,
  type EgressTestServer,
  egressFailure,
  startEgressTestServer,
} from "./testing/egress-test-server.js";

let t: EgressTestServer;

beforeAll(async () => {
  t = await startEgressTestServer();
});

afterAll(async () => {
  await t.api.close();
});

describe("sendEgressRequest: caps", () => {
  it("refuses a response whose declared length is over the cap", async () => {
    const error = await t.expectFailure(
      { url: `${t.base}/declared-large` },
      "response_too_large",
      "api.test",
    );
    expect(error.message).toBe(`the response from api.test is larger than ${CAP} bytes`);
  });

  it("aborts a streamed response as soon as it passes the cap", async () => {
    await t.expectFailure({ url: `${t.base}/streamed-large` }, "response_too_large", "api.test");
  });

  it("reads a response of exactly the cap", async () => {
    const response = await t.send({ url: `${t.base}/exactly-cap` });
    expect(response.body.byteLength).toBe(CAP);
  });

  it("times out a server that never answers, naming host and address", async () => {
    const error = await t.expectFailure(
      { url: `${t.base}/hang` },
      "timeout",
      "api.test",
      t.testPolicy({ timeoutMs: 150 }),
    );
    expect(error.message).toBe("the request to api.test (127.0.0.1) took longer than 150 ms");
    expect(error.address).toBe("127.0.0.1");
  });

  it("times out a body that keeps trickling in", async () => {
    await t.expectFailure(
      { url: `${t.base}/drip` },
      "timeout",
      "api.test",
      t.testPolicy({ timeoutMs: 150 }),
    );
  });

  it("applies a request's own time limit when it is lower than the policy's", async () => {
    const error = await t.expectFailure(
      { url: `${t.base}/hang`, timeoutMs: 100 },
      "timeout",
      "api.test",
    );
    expect(error.message).toContain("100 ms");
  });

  it("times out a resolver that never answers", async () => {
    const silent: HostLookup = () => new Promise(() => {});
    await t.expectFailure(
      { url: `${t.base}/echo` },
      "timeout",
      "api.test",
      t.testPolicy({ timeoutMs: 100 }),
      { lookup: silent },
    );
  });

  it("stops when the caller cancels", async () => {
    const controller = new AbortController();
    const pending = t.send({ url: `${t.base}/hang` }, t.policy, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await egressFailure(() => pending);
    expect(error.reason).toBe("aborted");
  });
});
