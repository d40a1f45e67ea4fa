import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEgressPolicy, type EgressPolicy } from "./egress-policy.js";
import {
  type EgressTestServer,
  respond,
  startEgressTestServer,
} from "./testing/egress-test-server.js";
import { type LocalServer, startLocalServer } from "./testing/local-server.js";
import { selfSignedCertificate, type TestCertificate } from "./testing/self-signed-certificate.js";
import { stubLookup } from "./testing/stub-lookup.js";

describe("sendEgressRequest: https", () => {
  let t: EgressTestServer;
  let secure: LocalServer;
  let certificate: TestCertificate;
  let secureUrl: string;
  let trusting: EgressPolicy;

  beforeAll(async () => {
    t = await startEgressTestServer();
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
    await Promise.all([secure.close(), t.api.close()]);
  });

  it("connects to the pinned address with the host name as SNI and Host", async () => {
    const response = await t.send({ url: `${secureUrl}/echo` }, trusting, {
      lookup: secureLookup,
    });
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
    const error = await t.expectFailure(
      { url: `${secureUrl}/echo` },
      "connection_failed",
      "secure.test",
      untrusting,
      { lookup: secureLookup },
    );
    expect(error.message).toContain("SELF_SIGNED_CERT");
  });

  it("checks the certificate against the host name, not the address connected to", async () => {
    const error = await t.expectFailure(
      { url: `https://wrong.test:${secure.port}/echo` },
      "connection_failed",
      "wrong.test",
      trusting,
      { lookup: secureLookup },
    );
    expect(error.message).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
  });
});
