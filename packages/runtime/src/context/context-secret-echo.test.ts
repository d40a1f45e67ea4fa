import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../egress/testing/local-server.js";
import { stubLookup } from "../egress/testing/stub-lookup.js";
import { refusal } from "./testing/context-fixture.js";
import { realEgressContext } from "./testing/real-egress-context.js";

// Printable ASCII, so it can travel in a header, with the characters each encoding changes.
const SECRET = 'tok/en "q"+&=~ 7Zx';

/** The secret in every form an echoing endpoint might send it back in. */
function encodings(value: string): Record<string, string> {
  const bytes = Buffer.from(value);
  return {
    raw: value,
    url: encodeURIComponent(value),
    form: new URLSearchParams([["k", value]]).toString().slice(2),
    everyByte: [...bytes].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join(""),
    base64: bytes.toString("base64"),
    base64url: bytes.toString("base64url"),
    hex: bytes.toString("hex"),
    upperHex: bytes.toString("hex").toUpperCase(),
    basic: Buffer.from(`user:${value}`).toString("base64"),
  };
}

const { basic, ...whole } = encodings(SECRET);

/**
 * Every form of the secret that must not reach plugin code: the whole encodings, the
 * JSON-escaped value, and the base64 characters of `user:<secret>` made of the secret's bits
 * alone (those at its edges also carry bits of "user:" or of the padding).
 */
const FORBIDDEN_FORMS = [
  ...Object.values(whole),
  JSON.stringify(SECRET).slice(1, -1),
  (basic ?? "").slice(Math.ceil((5 * 8) / 6), Math.floor(((5 + SECRET.length) * 8) / 6)),
];

describe("secrets echoed by the far end", () => {
  let echo: LocalServer;
  let echoed: string[];

  beforeAll(async () => {
    echoed = [];
    echo = await startLocalServer((request, response) => {
      const received = String(request.headers["x-api-key"]);
      const forms = encodings(received);
      if (request.url === "/to-host") {
        response.writeHead(302, { location: `https://${forms.hex}.evil.test/` });
        response.end();
        return;
      }
      if (request.url === "/to-query") {
        response.writeHead(302, { location: `/echo?k=${forms.form}` });
        response.end();
        return;
      }
      const body = JSON.stringify({ ...forms, note: `you sent ${received}` });
      echoed.push(body);
      response.writeHead(200, {
        "content-type": "application/json",
        "x-echo-url": forms.url ?? "",
        "x-echo-form": forms.form ?? "",
        "x-echo-base64": forms.base64 ?? "",
        "x-echo-hex": forms.hex ?? "",
        "x-echo-basic": forms.basic ?? "",
      });
      response.end(body);
    });
  });

  afterAll(async () => {
    await echo.close();
  });

  const setUp = (maxRedirects = 5) =>
    realEgressContext({
      permissions: [`network:outbound:echo.test:${echo.port}`],
      hostPolicy: { plainHttpHosts: ["echo.test"], loopbackHosts: ["echo.test"], maxRedirects },
      lookup: stubLookup({ "echo.test": [["127.0.0.1"]] }),
      secrets: new Map([["api_key", SECRET]]),
    });

  it("cuts the secret out of the response body and headers in every encoding", async () => {
    const { context } = setUp();
    const response = await context.http.request({
      url: `http://echo.test:${echo.port}/echo`,
      secretHeaders: { "x-api-key": context.secrets.handle("api_key") },
    });
    expect(echo.seen.at(-1)?.headers["x-api-key"]).toBe(SECRET);
    const plugin = `${response.body}\n${JSON.stringify(response.headers)}`;
    for (const form of FORBIDDEN_FORMS) expect(plugin).not.toContain(form);
    expect(response.json()).toEqual({
      raw: "[REDACTED]",
      url: "[REDACTED]",
      form: "[REDACTED]",
      everyByte: "[REDACTED]",
      base64: "[REDACTED]",
      base64url: "[REDACTED]",
      hex: "[REDACTED]",
      upperHex: "[REDACTED]",
      basic: expect.stringMatching(/^dX[A-Za-z0-9+/]*\[REDACTED\][A-Za-z0-9+/=]*$/),
      note: "you sent [REDACTED]",
    });
    expect(response.headers).toMatchObject({
      "x-echo-url": "[REDACTED]",
      "x-echo-form": "[REDACTED]",
      "x-echo-base64": "[REDACTED]",
      "x-echo-hex": "[REDACTED]",
    });
  });

  it("cuts the injected secret out of log lines in every encoding", async () => {
    const { context, logs } = setUp();
    await context.http.request({
      url: `http://echo.test:${echo.port}/echo`,
      secretHeaders: { "x-api-key": context.secrets.handle("api_key") },
    });
    const raw = echoed.at(-1) ?? "";
    context.logger.info(`the endpoint answered ${raw}`, { answer: raw, forms: FORBIDDEN_FORMS });
    const line = JSON.stringify(logs);
    for (const form of FORBIDDEN_FORMS) expect(line).not.toContain(form);
    expect(logs[0]?.data?.forms).toEqual(FORBIDDEN_FORMS.map(() => "[REDACTED]"));
  });

  it("cuts the secret out of the guard's refusal when a redirect carries it", async () => {
    const request = (context: ReturnType<typeof setUp>["context"], path: string) =>
      refusal(() =>
        context.http.request({
          url: `http://echo.test:${echo.port}${path}`,
          secretHeaders: { "x-api-key": context.secrets.handle("api_key") },
        }),
      );
    const toHost = await request(setUp().context, "/to-host");
    expect(toHost).toEqual({
      code: "egress_denied",
      message:
        "http.request: [REDACTED].evil.test is not granted (network:outbound) (host_not_granted)",
    });
    const toQuery = await request(setUp(0).context, "/to-query");
    expect(toQuery.code).toBe("egress_denied");
    expect(toQuery.message).toContain(
      `redirected to http://echo.test:${echo.port}/echo?k=[REDACTED]`,
    );
  });
});
