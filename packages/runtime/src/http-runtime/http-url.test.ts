import type { JsonValue } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { HttpRuntimeError } from "./http-runtime-errors.js";
import { compileUrl, literalUrlOrigin, renderUrl } from "./http-url.js";

function thrown(run: () => unknown): HttpRuntimeError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpRuntimeError) return error;
    throw error;
  }
  throw new Error("expected an HttpRuntimeError");
}

function url(
  template: string,
  input: Record<string, JsonValue>,
  query: Record<string, string> = {},
  authQuery: [string, string][] = [],
): string {
  return renderUrl(compileUrl(template, query, "get_status"), { input, config: {} }, authQuery)
    .href;
}

const BASE = "https://api.faxline.example/v1/faxes";

describe("compileUrl", () => {
  it.each([
    ["a placeholder as the host", "https://{{ input.host }}/v1"],
    ["a placeholder right after the host", "https://api.faxline.example{{ input.path }}"],
    ["a placeholder in the port", "https://api.faxline.example:{{ input.port }}/v1"],
    ["a placeholder in the scheme", "{{ input.scheme }}://api.faxline.example/v1"],
    ["a placeholder before everything", "{{ input.url }}"],
    ["a relative URL", "/v1/faxes"],
    ["a backslash after the host", "https://api.faxline.example\\{{ input.path }}"],
  ])("refuses %s as url_not_literal", (_, template) => {
    expect(thrown(() => compileUrl(template, {}, "get_status"))).toMatchObject({
      code: "url_not_literal",
      path: "runtime.operations.get_status.url",
    });
  });

  it("accepts an origin that ends the template or is followed by a path, query or fragment", () => {
    for (const template of [
      "https://api.faxline.example",
      "https://api.faxline.example:8443/{{ input.id }}",
      "https://api.faxline.example?id={{ input.id }}",
      "https://api.faxline.example#{{ input.id }}",
    ]) {
      expect(compileUrl(template, {}, "get_status").origin, template).toMatch(
        /^https:\/\/api\.faxline\.example/,
      );
    }
  });

  it("finds the literal origin of a template", () => {
    expect(literalUrlOrigin(`${BASE}/{{ input.id }}`)?.hostname).toBe("api.faxline.example");
    expect(literalUrlOrigin("https://{{ input.host }}/")).toBeUndefined();
  });
});

describe("renderUrl: path placeholders", () => {
  it("encodes a placeholder so that input cannot add path segments, a query or a fragment", () => {
    expect(url(`${BASE}/{{ input.id }}`, { id: "../../admin?x=1#top" })).toBe(
      `${BASE}/..%2F..%2Fadmin%3Fx%3D1%23top`,
    );
  });

  it("encodes quotes, backslashes, markup, CR/LF and unicode", () => {
    expect(url(`${BASE}/{{ input.id }}`, { id: '"\\</script>\r\nü😀' })).toBe(
      `${BASE}/%22%5C%3C%2Fscript%3E%0D%0A%C3%BC%F0%9F%98%80`,
    );
  });

  it.each([".", "..", ""])("refuses a placeholder that makes the segment %j", (id) => {
    const error = thrown(() => url(`${BASE}/{{ input.id }}/pages`, { id }));
    expect(error.code).toBe("url_invalid");
    expect(error.message).toContain("{{ input.id }}");
  });

  it("encodes percent-encoded dots from input, so they stay text", () => {
    expect(url(`${BASE}/{{ input.id }}`, { id: "%2e%2E" })).toBe(`${BASE}/%252e%252E`);
  });

  it("refuses placeholders that make a dot segment with the text around them", () => {
    expect(thrown(() => url(`${BASE}/{{ input.a }}{{ input.b }}`, { a: ".", b: "." })).code).toBe(
      "url_invalid",
    );
    expect(thrown(() => url(`${BASE}/{{ input.a }}%2e`, { a: "." })).code).toBe("url_invalid");
  });

  it("accepts dots inside a longer segment", () => {
    expect(url(`${BASE}/{{ input.id }}.pdf`, { id: "." })).toBe(`${BASE}/..pdf`);
    expect(url(`${BASE}/{{ input.id }}`, { id: "v1.2" })).toBe(`${BASE}/v1.2`);
  });

  it("refuses a path placeholder that is null, which renders empty", () => {
    expect(thrown(() => url(`${BASE}/{{ input.id }}`, { id: null })).code).toBe("url_invalid");
  });
});

describe("renderUrl: query parameters", () => {
  it("encodes placeholders in the template's own query", () => {
    expect(url(`${BASE}?to={{ input.to }}&x=1`, { to: "+1 555&admin=1#" })).toBe(
      `${BASE}?to=%2B1%20555%26admin%3D1%23&x=1`,
    );
  });

  it("adds the operation's query with form encoding after the template's", () => {
    expect(
      url(`${BASE}?fixed=a%20b`, { to: "+1 555&admin=1" }, { to: "{{ input.to }}", "a b": "c" }),
    ).toBe(`${BASE}?fixed=a%20b&to=%2B1+555%26admin%3D1&a+b=c`);
  });

  it("writes null as an empty query value", () => {
    expect(url(BASE, { to: null }, { to: "{{ input.to }}" })).toBe(`${BASE}?to=`);
  });

  it("adds the auth scheme's parameter last", () => {
    expect(url(BASE, { to: "1" }, { to: "{{ input.to }}" }, [["key", "k&v"]])).toBe(
      `${BASE}?to=1&key=k%26v`,
    );
  });

  it("refuses a query that already holds the auth parameter", () => {
    const error = thrown(() =>
      url(`${BASE}?{{ input.name }}=x`, { name: "key" }, {}, [["key", "v"]]),
    );
    expect(error.code).toBe("url_invalid");
    expect(error.message).toContain('"key"');
  });

  it("keeps a fragment out of the query", () => {
    expect(url(`${BASE}#part`, {}, { a: "1" })).toBe(`${BASE}?a=1#part`);
  });
});
