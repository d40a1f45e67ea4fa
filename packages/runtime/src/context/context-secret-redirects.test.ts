import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { respond } from "../egress/testing/egress-test-server.js";
import { type LocalServer, startLocalServer } from "../egress/testing/local-server.js";
import { selfSignedCertificate } from "../egress/testing/self-signed-certificate.js";
import { stubLookup } from "../egress/testing/stub-lookup.js";
import { refusal } from "./testing/context-fixture.js";
import { realEgressContext } from "./testing/real-egress-context.js";

const SECRET = "sk_live_51HcRedirectTest";
const SECRET_HEADER_VALUES = [SECRET, `Bearer ${SECRET}`];

describe("secret headers and redirects", () => {
  let plain: LocalServer;
  let secure: LocalServer;
  let certificate: ReturnType<typeof selfSignedCertificate>;

  beforeAll(async () => {
    plain = await startLocalServer(respond);
    certificate = selfSignedCertificate(["secure.test"]);
    secure = await startLocalServer(respond, { certificate });
  });

  afterAll(async () => {
    await Promise.all([plain.close(), secure.close()]);
  });

  const lookup = stubLookup({
    "api.test": [["127.0.0.1"]],
    "other.test": [["127.0.0.1"]],
    "secure.test": [["127.0.0.1"]],
  });

  function setUp(plainHttpHosts: readonly string[] = ["api.test", "other.test"]) {
    return realEgressContext({
      permissions: [
        `network:outbound:api.test:${plain.port}`,
        `network:outbound:other.test:${plain.port}`,
        `network:outbound:secure.test:${secure.port}`,
        `network:outbound:secure.test:${plain.port}`,
      ],
      hostPolicy: {
        plainHttpHosts: [...plainHttpHosts],
        loopbackHosts: ["api.test", "other.test", "secure.test"],
        trustedCertificates: [certificate.cert],
      },
      lookup,
      secrets: new Map([["api_token", SECRET]]),
    });
  }

  /** A request with the secret in three headers, one of them a name kept across origins. */
  function withSecrets(context: ReturnType<typeof setUp>["context"], url: string) {
    const handle = context.secrets.handle("api_token");
    return context.http.request({
      url,
      secretHeaders: {
        authorization: { ...handle, prefix: "Bearer " },
        "x-api-key": handle,
        accept: handle,
      },
    });
  }

  const redirect = (from: string, to: string) =>
    `${from}/redirect?status=307&to=${encodeURIComponent(to)}`;

  function secretHeadersSeen(server: LocalServer, from: number): string[] {
    return server.seen
      .slice(from)
      .flatMap((request) => Object.values(request.headers))
      .filter((value): value is string => typeof value === "string")
      .filter((value) => SECRET_HEADER_VALUES.includes(value));
  }

  it("never carries a secret header across a redirect to another host, whatever its name", async () => {
    const { context } = setUp();
    const before = plain.seen.length;
    const response = await withSecrets(
      context,
      redirect(`http://api.test:${plain.port}`, `http://other.test:${plain.port}/echo`),
    );
    expect(response.status).toBe(200);
    const [first, second] = plain.seen.slice(before);
    expect(first?.headers).toMatchObject({
      host: `api.test:${plain.port}`,
      authorization: `Bearer ${SECRET}`,
      "x-api-key": SECRET,
      accept: SECRET,
    });
    expect(second?.headers.host).toBe(`other.test:${plain.port}`);
    expect(secretHeadersSeen(plain, before + 1)).toStrictEqual([]);
  });

  it("never carries a secret header across a redirect to another port of the same host", async () => {
    const { context } = setUp(["secure.test"]);
    const before = plain.seen.length;
    const response = await withSecrets(
      context,
      redirect(`https://secure.test:${secure.port}`, `http://secure.test:${plain.port}/echo`),
    );
    expect(response.status).toBe(200);
    expect(secure.seen.at(-1)?.headers["x-api-key"]).toBe(SECRET);
    expect(plain.seen.length).toBe(before + 1);
    expect(secretHeadersSeen(plain, before)).toStrictEqual([]);
  });

  it("keeps secret headers on a redirect within the origin", async () => {
    const { context } = setUp();
    const before = plain.seen.length;
    await withSecrets(context, redirect(`http://api.test:${plain.port}`, "/echo"));
    expect(plain.seen.length).toBe(before + 2);
    expect(plain.seen.at(-1)?.headers["x-api-key"]).toBe(SECRET);
  });

  it("never sends a secret header over plain http to a host the host policy does not list", async () => {
    const { context } = setUp([]);
    const before = plain.seen.length;
    expect(await refusal(() => withSecrets(context, `http://api.test:${plain.port}/echo`))).toEqual(
      {
        code: "egress_denied",
        message:
          "http.request: http: to api.test is not allowed: only https://, or http:// to a host the host policy lists in plainHttpHosts (scheme_not_allowed)",
      },
    );
    const denied = await refusal(() =>
      withSecrets(
        context,
        redirect(`https://secure.test:${secure.port}`, `http://secure.test:${plain.port}/echo`),
      ),
    );
    expect(denied.code).toBe("egress_denied");
    expect(denied.message).toContain("(scheme_not_allowed)");
    expect(plain.seen.length).toBe(before);
  });
});
