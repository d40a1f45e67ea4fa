import { describe, expect, it } from "vitest";
import { encodeMultipart } from "./multipart-body.js";

const site = { operation: "send_fax", path: "runtime.operations.send_fax.body.fields.x" };

describe("encodeMultipart", () => {
  it("frames each part with CRLF and closes the body with the final boundary", () => {
    const { contentType, body } = encodeMultipart([
      { name: "to", value: "+1555", site },
      { name: "doc", value: "%PDF", filename: "a.pdf", contentType: "application/pdf", site },
    ]);
    const boundary = contentType.replace("multipart/form-data; boundary=", "");
    expect(body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="to"\r\n\r\n+1555\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="doc"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n` +
        `--${boundary}--\r\n`,
    );
  });

  it("chooses a new boundary for every body", () => {
    const boundaries = new Set(Array.from({ length: 20 }, () => encodeMultipart([]).contentType));
    expect(boundaries.size).toBe(20);
  });

  it("writes an empty body as the closing boundary alone", () => {
    const { contentType, body } = encodeMultipart([]);
    expect(body).toBe(`--${contentType.split("boundary=")[1]}--\r\n`);
  });

  it("names the field of a name that holds a line break", () => {
    expect(() => encodeMultipart([{ name: "a\nb", value: "", site }])).toThrow(
      expect.objectContaining({ code: "part_name_invalid", path: site.path }),
    );
  });
});
