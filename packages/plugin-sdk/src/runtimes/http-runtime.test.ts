import { describe, expect, it } from "vitest";
import { withField, withoutField } from "../testing/edit-manifest.js";
import { channelExample } from "../testing/example-manifests.js";
import {
  AllowedDomainSchema,
  HttpAuthSchema,
  HttpBodySchema,
  HttpOperationSchema,
  HttpResponseMappingSchema,
  HttpRuntimeSchema,
  ResponsePathSchema,
} from "./http-runtime.js";

const runtime = channelExample.runtime;

describe("HttpRuntimeSchema", () => {
  it("accepts the declarative runtime of the channel example", () => {
    expect(HttpRuntimeSchema.safeParse(runtime).success).toBe(true);
  });

  it("rejects an empty allowedDomains list, which must allow nothing rather than everything", () => {
    expect(
      HttpRuntimeSchema.safeParse(withField(runtime ?? {}, "allowedDomains", [])).success,
    ).toBe(false);
    expect(HttpRuntimeSchema.safeParse(withoutField(runtime ?? {}, "allowedDomains")).success).toBe(
      false,
    );
  });

  it("rejects an operation name that is not snake_case", () => {
    const renamed = withField(runtime ?? {}, "operations", {
      "send-fax": { method: "POST", url: "x" },
    });
    expect(HttpRuntimeSchema.safeParse(renamed).success).toBe(false);
  });
});

describe("AllowedDomainSchema", () => {
  it.each([
    "api.example.com",
    "api.phaxio.com",
    "a.io",
    "xn--80ak6aa92e.com",
    "api-2.eu.example.co",
  ])("accepts the host name %s", (host) => {
    expect(AllowedDomainSchema.safeParse(host).success).toBe(true);
  });

  it.each([
    ["a wildcard", "*.example.com"],
    ["a scheme", "https://api.example.com"],
    ["a port", "api.example.com:443"],
    ["a path", "api.example.com/v1"],
    ["uppercase letters", "API.example.com"],
    ["a single label", "localhost"],
    ["a loopback address", "127.0.0.1"],
    ["a cloud metadata address", "169.254.169.254"],
    ["an IPv6 address", "[::1]"],
    ["an empty label", "api..example.com"],
    ["a label ending in a hyphen", "api-.example.com"],
    ["a trailing dot", "api.example.com."],
    ["a label of 64 characters", `${"a".repeat(64)}.example.com`],
    ["an empty string", ""],
  ])("rejects %s", (_label, host) => {
    const result = AllowedDomainSchema.safeParse(host);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      "expected a lowercase host name such as api.example.com (no scheme, wildcard or port)",
    );
  });
});

describe("HttpAuthSchema", () => {
  it.each([
    { scheme: "none" },
    { scheme: "basic", usernameSecret: "USER", passwordSecret: "PASS" },
    { scheme: "bearer", tokenSecret: "api_token" },
    { scheme: "api_key_header", header: "X-Api-Key", secret: "api_key" },
    { scheme: "api_key_query", param: "key", secret: "api_key" },
  ])("accepts $scheme auth with its fields", (auth) => {
    expect(HttpAuthSchema.safeParse(auth).success).toBe(true);
  });

  it.each([
    ["basic auth without a password secret", { scheme: "basic", usernameSecret: "USER" }],
    ["a raw token instead of a secret name", { scheme: "bearer", tokenSecret: "sk-live 123" }],
    ["a header name with a space", { scheme: "api_key_header", header: "X Api Key", secret: "k" }],
    ["a field of another scheme", { scheme: "none", tokenSecret: "api_token" }],
    ["an unknown scheme", { scheme: "digest" }],
  ])("rejects %s", (_label, auth) => {
    expect(HttpAuthSchema.safeParse(auth).success).toBe(false);
  });
});

describe("HttpOperationSchema and its parts", () => {
  it("accepts each body encoding", () => {
    for (const body of [
      { encoding: "json", template: { to: "{{ message.to }}", parts: [1, true, null] } },
      { encoding: "form", fields: { To: "{{ message.to }}" } },
      {
        encoding: "multipart",
        fields: { to: "{{ fax.to }}" },
        files: { file: "{{ fax.documentUrl }}" },
      },
    ]) {
      expect(HttpBodySchema.safeParse(body).success).toBe(true);
    }
  });

  it("rejects a JSON body template holding a value JSON cannot carry", () => {
    for (const template of [
      { at: new Date(0) },
      { count: 1n },
      { f: () => 1 },
      { n: Number.NaN },
    ]) {
      expect(HttpBodySchema.safeParse({ encoding: "json", template }).success).toBe(false);
    }
  });

  it("rejects files on a form body", () => {
    expect(
      HttpBodySchema.safeParse({ encoding: "form", fields: {}, files: { f: "x" } }).success,
    ).toBe(false);
  });

  it.each(["data.id", "items[0].status", "$meta.total", "a_b.c1[12]"])(
    "accepts the response path %s",
    (path) => {
      expect(ResponsePathSchema.safeParse(path).success).toBe(true);
    },
  );

  it.each(["", "data..id", "data.", "[0]", "items[x]", "data.0", "data id"])(
    "rejects the response path %j",
    (path) => {
      expect(ResponsePathSchema.safeParse(path).success).toBe(false);
    },
  );

  it("maps provider statuses only onto job statuses", () => {
    expect(
      HttpResponseMappingSchema.safeParse({ statusMap: { ok: "succeeded", busy: "queued" } })
        .success,
    ).toBe(true);
    expect(HttpResponseMappingSchema.safeParse({ statusMap: { ok: "done" } }).success).toBe(false);
  });

  it("bounds an operation's timeout between 1 ms and two minutes", () => {
    const operation = { method: "GET", url: "https://api.example.com/{{ id }}" };
    expect(HttpOperationSchema.safeParse({ ...operation, timeoutMs: 120_000 }).success).toBe(true);
    expect(HttpOperationSchema.safeParse({ ...operation, timeoutMs: 120_001 }).success).toBe(false);
    expect(HttpOperationSchema.safeParse({ ...operation, timeoutMs: 0 }).success).toBe(false);
    expect(HttpOperationSchema.safeParse({ ...operation, timeoutMs: 1.5 }).success).toBe(false);
  });
});
