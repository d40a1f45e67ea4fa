import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEgressPolicy } from "./egress-policy.js";
import { sendEgressRequest } from "./send-egress-request.js";
import { egressFailure } from "./testing/egress-test-server.js";
import { type LocalServer, startLocalServer } from "./testing/local-server.js";
import { stubLookup } from "./testing/stub-lookup.js";

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

  const policy = () =>
    createEgressPolicy([{ host: "rebind.test", port: rebound.port }], {
      plainHttpHosts: ["rebind.test"],
      loopbackHosts: ["rebind.test"],
    });

  it("connects to the address it checked, not to what the name resolves to later", async () => {
    const rebinding = stubLookup({ "rebind.test": [["127.0.0.2"], ["127.0.0.1"]] });
    const response = await sendEgressRequest(
      { url: `http://rebind.test:${rebound.port}/` },
      policy(),
      { lookup: rebinding },
    );
    expect(Buffer.from(response.body).toString()).toBe("checked");
    expect(response.address).toBe("127.0.0.2");
    expect(rebinding.calls).toStrictEqual(["rebind.test"]);
    expect(rebound.seen).toStrictEqual([]);
  });

  it("checks the name again on the next request and refuses the forbidden answer", async () => {
    const rebinding = stubLookup({ "rebind.test": [["127.0.0.2"], ["10.0.0.1"]] });
    const url = `http://rebind.test:${rebound.port}/`;
    await sendEgressRequest({ url }, policy(), { lookup: rebinding });
    const error = await egressFailure(() =>
      sendEgressRequest({ url }, policy(), { lookup: rebinding }),
    );
    expect({ reason: error.reason, host: error.host, address: error.address }).toStrictEqual({
      reason: "forbidden_address",
      host: "rebind.test",
      address: "10.0.0.1",
    });
  });
});
