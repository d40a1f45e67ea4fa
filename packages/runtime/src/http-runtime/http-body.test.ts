import type { HttpBody, JsonValue } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { compileBody, renderBody } from "./http-body.js";
import { HttpRuntimeError } from "./http-runtime-errors.js";

const HOSTILE = '"quote" \\back\\slash </script><script>alert(1)</script> \r\nX-Injected: 1 ü😀';

function render(body: HttpBody, input: Record<string, JsonValue>, config = {}) {
  return renderBody(compileBody(body, "send_fax"), { input, config });
}

async function thrown(run: () => unknown): Promise<HttpRuntimeError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HttpRuntimeError) return error;
    throw error;
  }
  throw new Error("expected an HttpRuntimeError");
}

describe("JSON bodies", () => {
  it("gives a string that is one placeholder the value's own JSON type", () => {
    const body = render(
      {
        encoding: "json",
        template: {
          flag: "{{ input.flag }}",
          count: "{{ input.count }}",
          nothing: "{{ input.nothing }}",
          object: "{{ input.object }}",
          list: ["{{ input.list }}", 7, true, null],
        },
      },
      { flag: true, count: 2.5, nothing: null, object: { a: [1, "b"] }, list: ["x"] },
    );
    expect(body.contentType).toBe("application/json");
    expect(JSON.parse(body.text)).toStrictEqual({
      flag: true,
      count: 2.5,
      nothing: null,
      object: { a: [1, "b"] },
      list: [["x"], 7, true, null],
    });
  });

  it("interpolates a placeholder inside a longer string as text, null as empty", () => {
    const body = render(
      {
        encoding: "json",
        template: { note: "Fax to {{ input.to }} ({{ input.n }}) [{{ input.nothing }}]" },
      },
      { to: "+1555", n: 3, nothing: null },
    );
    expect(JSON.parse(body.text)).toStrictEqual({ note: "Fax to +1555 (3) []" });
  });

  it("keeps hostile input inside its string, as a single or an interpolated placeholder", () => {
    const body = render(
      { encoding: "json", template: { whole: "{{ input.text }}", part: "say: {{ input.text }}" } },
      { text: HOSTILE },
    );
    expect(JSON.parse(body.text)).toStrictEqual({ whole: HOSTILE, part: `say: ${HOSTILE}` });
    expect(Object.keys(JSON.parse(body.text))).toStrictEqual(["whole", "part"]);
  });

  it("does not template object keys, and keeps a __proto__ key as a key", () => {
    const template = JSON.parse('{"{{ input.key }}": "v", "__proto__": "{{ input.v }}"}');
    const body = render({ encoding: "json", template }, { key: "k", v: "proto" });
    expect(body.text).toBe('{"{{ input.key }}":"v","__proto__":"proto"}');
  });

  it("names the nested field of a missing value", async () => {
    const error = await thrown(() =>
      render({ encoding: "json", template: { items: [{ id: "{{ input.items[0].id }}" }] } }, {}),
    );
    expect(error).toMatchObject({
      code: "value_missing",
      path: "runtime.operations.send_fax.body.template.items[0].id",
    });
  });

  it("refuses an object interpolated into a longer string", async () => {
    const error = await thrown(() =>
      render({ encoding: "json", template: { note: "x {{ input.o }}" } }, { o: { a: 1 } }),
    );
    expect(error.code).toBe("value_invalid");
  });
});

describe("form bodies", () => {
  it("URL-encodes every field, so input cannot add a field", () => {
    const body = render(
      {
        encoding: "form",
        fields: { to: "{{ input.to }}", body: "{{ input.body }}", n: "{{ input.n }}" },
      },
      { to: "+1 555&admin=true", body: HOSTILE, n: null },
    );
    expect(body.contentType).toBe("application/x-www-form-urlencoded");
    expect([...new URLSearchParams(body.text)]).toStrictEqual([
      ["to", "+1 555&admin=true"],
      ["body", HOSTILE],
      ["n", ""],
    ]);
    expect(body.text).toContain("to=%2B1+555%26admin%3Dtrue&");
  });
});

function parts(text: string, boundary: string): string[] {
  return text.split(`--${boundary}`).slice(1, -1);
}

describe("multipart bodies", () => {
  it("writes fields and files between a random boundary named in the content type", () => {
    const first = render(
      {
        encoding: "multipart",
        fields: { to: "{{ input.to }}" },
        files: { document: "{{ input.doc }}", note: "text {{ input.to }}" },
      },
      {
        to: "+1555",
        doc: { filename: "fax.pdf", content: "%PDF-1.7", contentType: "application/pdf" },
      },
    );
    const boundary = /boundary=(plugboard-[0-9a-f]{32})$/.exec(first.contentType)?.[1] ?? "";
    expect(boundary).not.toBe("");
    expect(parts(first.text, boundary)).toStrictEqual([
      '\r\nContent-Disposition: form-data; name="to"\r\n\r\n+1555\r\n',
      '\r\nContent-Disposition: form-data; name="document"; filename="fax.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\r\n',
      '\r\nContent-Disposition: form-data; name="note"; filename="note"\r\nContent-Type: application/octet-stream\r\n\r\ntext +1555\r\n',
    ]);
    expect(first.text.endsWith(`--${boundary}--\r\n`)).toBe(true);
    const second = render({ encoding: "multipart", fields: {} }, {});
    expect(second.contentType).not.toBe(first.contentType);
  });

  it("percent-encodes quotes and backslashes in names and filenames", () => {
    const body = render(
      { encoding: "multipart", fields: { 'a"b\\': "v" }, files: { f: "{{ input.file }}" } },
      { file: { filename: 'evil".pdf\\', content: "x" } },
    );
    expect(body.text).toContain('name="a%22b%5C"');
    expect(body.text).toContain('filename="evil%22.pdf%5C"');
  });

  it.each(["a\r\nb", "a\nb", "a\0b"])(
    "refuses a filename %j with CR, LF or NUL",
    async (filename) => {
      const error = await thrown(() =>
        render(
          { encoding: "multipart", fields: {}, files: { f: "{{ input.file }}" } },
          { file: { filename, content: "x" } },
        ),
      );
      expect(error).toMatchObject({
        code: "part_name_invalid",
        path: "runtime.operations.send_fax.body.files.f",
      });
    },
  );

  it("refuses a field name with a line break", async () => {
    const error = await thrown(() =>
      render({ encoding: "multipart", fields: { "x\r\nContent-Type: evil": "v" } }, {}),
    );
    expect(error.code).toBe("part_name_invalid");
  });

  it("keeps hostile field values inside their part", () => {
    const body = render(
      { encoding: "multipart", fields: { text: "{{ input.text }}" } },
      { text: HOSTILE },
    );
    const boundary = body.contentType.split("boundary=")[1] ?? "";
    expect(parts(body.text, boundary)).toHaveLength(1);
  });

  it.each([
    ["an empty filename", { filename: "", content: "x" }],
    ["no content", { filename: "a.txt" }],
    [
      "a content type with a line break",
      { filename: "a", content: "x", contentType: "text/plain\r\nX: 1" },
    ],
    ["an unknown key", { filename: "a", content: "x", path: "/etc/passwd" }],
  ])("refuses a file object with %s", async (_, file) => {
    const error = await thrown(() =>
      render({ encoding: "multipart", fields: {}, files: { f: "{{ input.file }}" } }, { file }),
    );
    expect(error.code).toBe("file_invalid");
  });
});
