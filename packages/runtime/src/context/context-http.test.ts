import { describe, expect, it } from "vitest";
import { EgressError } from "../egress/egress-errors.js";
import { CRM_TOKEN, contextFixture, KNOWN_SECRET, refusal } from "./testing/context-fixture.js";

describe("http and secrets", () => {
  it("injects a secret by handle and cuts its value out of the response", async () => {
    const { context, sent } = contextFixture();
    const response = await context.http.request({
      method: "POST",
      url: "https://api.crm.example/v1/contacts",
      headers: { "X-Trace": "t1" },
      secretHeaders: { Authorization: context.secrets.handle("crm_token") },
      body: { name: "Ada" },
    });
    expect(sent[0]).toEqual({
      method: "POST",
      url: "https://api.crm.example/v1/contacts",
      headers: {
        "x-trace": "t1",
        authorization: CRM_TOKEN,
        "content-type": "application/json",
      },
      credentialHeaders: ["authorization"],
      body: '{"name":"Ada"}',
    });
    expect(response.body).toBe('{"token":"[REDACTED]"}');
    expect(response.headers).toEqual({ "x-echo": "[REDACTED]" });
    expect(response.json()).toEqual({ token: "[REDACTED]" });
  });

  it("puts a handle's prefix before the secret it injects, and refuses a prefix that could break the header", async () => {
    const { context, sent } = contextFixture();
    await context.http.request({
      url: "https://api.crm.example/v1/me",
      secretHeaders: {
        authorization: { ...context.secrets.handle("crm_token"), prefix: "Bearer " },
      },
    });
    expect(sent[0]?.headers).toMatchObject({ authorization: `Bearer ${CRM_TOKEN}` });
    const broken = await refusal(() =>
      context.http.request({
        url: "https://api.crm.example/v1/me",
        secretHeaders: {
          authorization: { ...context.secrets.handle("crm_token"), prefix: "Bearer\r\nX-Evil: 1 " },
        },
      }),
    );
    expect(broken.code).toBe("invalid_argument");
    expect(broken.message).toContain("secretHeaders.authorization.prefix");
  });

  it("refuses undeclared secrets, unset secrets and a header given twice", async () => {
    const { context } = contextFixture();
    expect(await refusal(() => context.secrets.handle("db_password"))).toEqual({
      code: "permission_denied",
      message: `secrets.handle: "db_password" is not one of the manifest's secretKeys (crm_token)`,
    });
    const forged = { kind: "secret_handle", key: "db_password" } as const;
    expect(
      (
        await refusal(() =>
          context.http.request({ url: "https://api.crm.example/", secretHeaders: { a: forged } }),
        )
      ).code,
    ).toBe("permission_denied");
    const unset = contextFixture({
      services: { secrets: { resolve: async () => undefined } },
    }).context;
    expect(
      await refusal(() =>
        unset.http.request({
          url: "https://api.crm.example/",
          secretHeaders: { authorization: unset.secrets.handle("crm_token") },
        }),
      ),
    ).toEqual({
      code: "unavailable",
      message: 'http.request: secret "crm_token" has no value set',
    });
    expect(
      (
        await refusal(() =>
          context.http.request({
            url: "https://api.crm.example/",
            headers: { authorization: "x" },
            secretHeaders: { Authorization: context.secrets.handle("crm_token") },
          }),
        )
      ).code,
    ).toBe("invalid_argument");
  });

  it("reports the egress guard's failures and hides the host's own", async () => {
    const failing = contextFixture({
      egress: async () => {
        throw new EgressError(
          "timeout",
          "api.crm.example",
          "the request to api.crm.example took longer than 50 ms",
        );
      },
    }).context;
    expect(await refusal(() => failing.http.request({ url: "https://api.crm.example/" }))).toEqual({
      code: "egress_failed",
      message: "http.request: the request to api.crm.example took longer than 50 ms (timeout)",
    });
    const broken = contextFixture({
      egress: async () => {
        throw new Error("ECONNRESET 10.0.0.7:443");
      },
    }).context;
    expect(await refusal(() => broken.http.request({ url: "https://api.crm.example/" }))).toEqual({
      code: "host_failed",
      message: "http.request failed in the host",
    });
  });

  it("cuts every secret value the host knows out of a response, injected or not", async () => {
    const { context } = contextFixture({
      egress: async (request) => ({
        status: 200,
        headers: { "x-other": Buffer.from(KNOWN_SECRET).toString("base64") },
        body: new TextEncoder().encode(`{"leaked":"${KNOWN_SECRET}"}`),
        url: request.url,
        address: "203.0.113.5",
      }),
    });
    const response = await context.http.request({ url: "https://api.crm.example/" });
    expect(response.body).toBe('{"leaked":"[REDACTED]"}');
    expect(response.headers).toEqual({ "x-other": "[REDACTED]" });
  });

  it("withholds a response when the host cannot read the secret values to cut out", async () => {
    const { context, sent } = contextFixture({
      services: { knownSecretValues: () => Promise.reject(new Error("vault sealed")) },
    });
    expect(await refusal(() => context.http.request({ url: "https://api.crm.example/" }))).toEqual({
      code: "host_failed",
      message: "http.request failed in the host",
    });
    expect(sent).toHaveLength(1);
  });
});
