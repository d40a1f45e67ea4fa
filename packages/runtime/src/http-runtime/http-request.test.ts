import type { HttpAuth, HttpOperation, JsonValue } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { applyAuth } from "./http-auth.js";
import { compileOperation, renderRequest } from "./http-request.js";
import { HttpRuntimeError } from "./http-runtime-errors.js";

const URL_BASE = "https://api.faxline.example/v1";
const bearer: HttpAuth = { scheme: "bearer", tokenSecret: "token" };

async function request(
  operation: HttpOperation,
  input: Record<string, JsonValue>,
  auth: HttpAuth = bearer,
) {
  const applied = await applyAuth(auth, "send_fax", async () => "tok-1234");
  return renderRequest(
    compileOperation("send_fax", operation, auth),
    { input, config: {} },
    applied,
  );
}

function thrownSync(run: () => unknown): HttpRuntimeError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpRuntimeError) return error;
    throw error;
  }
  throw new Error("expected an HttpRuntimeError");
}

describe("compileOperation", () => {
  it("refuses a header that the auth scheme sets, in any case", () => {
    const error = thrownSync(() =>
      compileOperation(
        "send_fax",
        { method: "GET", url: URL_BASE, headers: { AUTHORIZATION: "Bearer {{ input.t }}" } },
        bearer,
      ),
    );
    expect(error).toMatchObject({
      code: "auth_conflict",
      path: "runtime.operations.send_fax.headers.AUTHORIZATION",
    });
  });

  it("refuses the api key header and the api key query parameter set by the operation too", () => {
    expect(
      thrownSync(() =>
        compileOperation(
          "send_fax",
          { method: "GET", url: URL_BASE, headers: { "x-key": "v" } },
          { scheme: "api_key_header", header: "X-Key", secret: "k" },
        ),
      ).code,
    ).toBe("auth_conflict");
    expect(
      thrownSync(() =>
        compileOperation(
          "send_fax",
          { method: "GET", url: URL_BASE, query: { key: "v" } },
          { scheme: "api_key_query", param: "key", secret: "k" },
        ),
      ),
    ).toMatchObject({ code: "auth_conflict", path: "runtime.operations.send_fax.query.key" });
  });

  it("refuses a content-type header on a multipart body", () => {
    expect(
      thrownSync(() =>
        compileOperation(
          "send_fax",
          {
            method: "POST",
            url: URL_BASE,
            headers: { "Content-Type": "multipart/form-data" },
            body: { encoding: "multipart", fields: {} },
          },
          bearer,
        ),
      ).code,
    ).toBe("content_type_conflict");
  });

  it("finds a malformed template when the operation is compiled, not when it is called", () => {
    expect(
      thrownSync(() =>
        compileOperation("send_fax", { method: "GET", url: `${URL_BASE}/{{ input.id` }, bearer),
      ).code,
    ).toBe("template_invalid");
  });
});

describe("renderRequest", () => {
  it("renders method, URL, lowercase headers, body, content type and timeout", async () => {
    expect(
      await request(
        {
          method: "POST",
          url: `${URL_BASE}/faxes`,
          headers: { Accept: "application/json", "X-Request-Id": "req-{{ input.id }}" },
          body: { encoding: "json", template: { id: "{{ input.id }}" } },
          timeoutMs: 1_000,
        },
        { id: 7 },
      ),
    ).toStrictEqual({
      method: "POST",
      url: `${URL_BASE}/faxes`,
      headers: {
        accept: "application/json",
        "x-request-id": "req-7",
        "content-type": "application/json",
        authorization: "Bearer tok-1234",
      },
      body: '{"id":7}',
      timeoutMs: 1_000,
      credentialHeaders: ["authorization"],
    });
  });

  it("keeps a content type the operation sets for a JSON body", async () => {
    const rendered = await request(
      {
        method: "POST",
        url: URL_BASE,
        headers: { "Content-Type": "application/vnd.api+json" },
        body: { encoding: "json", template: {} },
      },
      {},
    );
    expect(rendered.headers["content-type"]).toBe("application/vnd.api+json");
  });

  it.each(["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\0b"])(
    "refuses a header value %j with CR, LF or NUL, naming the header",
    async (value) => {
      const error = await request(
        { method: "GET", url: URL_BASE, headers: { "X-Note": "{{ input.note }}" } },
        { note: value },
      ).catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: "header_invalid",
        path: 'runtime.operations.send_fax.headers["X-Note"]',
      });
      expect(String(error)).toContain("the X-Note header would hold CR, LF or NUL");
    },
  );

  it("refuses a header value Node cannot send, such as a character beyond Latin-1", async () => {
    const error = await request(
      { method: "GET", url: URL_BASE, headers: { "X-Note": "{{ input.note }}" } },
      { note: "😀" },
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "header_invalid" });
  });

  it("refuses a secret that would break its header, without quoting it", async () => {
    const auth: HttpAuth = { scheme: "bearer", tokenSecret: "token" };
    const applied = await applyAuth(auth, "send_fax", async () => "tok\r\nX-Evil: 1");
    const error = thrownSync(() =>
      renderRequest(
        compileOperation("send_fax", { method: "GET", url: URL_BASE }, auth),
        { input: {}, config: {} },
        applied,
      ),
    );
    expect(error).toMatchObject({ code: "header_invalid", path: "runtime.auth" });
    expect(error.message).not.toContain("tok");
  });

  it("uses a __proto__ header name as a plain header", async () => {
    const rendered = await request(
      { method: "GET", url: URL_BASE, headers: { ["__proto__"]: "x" } },
      {},
      { scheme: "none" },
    );
    expect(Object.hasOwn(rendered.headers, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(rendered.headers)).toBe(Object.prototype);
  });
});
