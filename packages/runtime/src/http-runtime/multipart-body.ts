import { randomBytes } from "node:crypto";
import { HttpRuntimeError, type HttpRuntimeErrorSite } from "./http-runtime-errors.js";

/** One part of a `multipart/form-data` body, with the manifest field it came from. */
export interface MultipartPart {
  readonly name: string;
  readonly value: string;
  /** Present for a file part. */
  readonly filename?: string;
  /** A file part's media type; `application/octet-stream` when left out. */
  readonly contentType?: string;
  readonly site: HttpRuntimeErrorSite;
}

const LINE_BREAK_OR_NUL = /[\r\n\0]/;

/**
 * A name or filename as a quoted string. CR, LF and NUL are refused: they would end the part
 * header. `"` and `\` are percent-encoded, as browsers encode `"`, so that neither a reader
 * that unescapes backslashes nor one that does not can be made to end the string early.
 */
function quoted(text: string, what: string, site: HttpRuntimeErrorSite): string {
  if (LINE_BREAK_OR_NUL.test(text)) {
    throw new HttpRuntimeError(
      "part_name_invalid",
      `the multipart ${what} ${JSON.stringify(text)} holds CR, LF or NUL`,
      site,
    );
  }
  return `"${text.replaceAll('"', "%22").replaceAll("\\", "%5C")}"`;
}

function partHeader(part: MultipartPart): string {
  const disposition = `Content-Disposition: form-data; name=${quoted(part.name, "name", part.site)}`;
  if (part.filename === undefined) return `${disposition}\r\n`;
  const filename = quoted(part.filename, "filename", part.site);
  return `${disposition}; filename=${filename}\r\nContent-Type: ${part.contentType ?? "application/octet-stream"}\r\n`;
}

/** A boundary of 32 random hex digits that occurs in no part: 2^-128 odds of a retry. */
function chooseBoundary(parts: readonly MultipartPart[]): string {
  for (;;) {
    const boundary = `plugboard-${randomBytes(16).toString("hex")}`;
    if (!parts.some((part) => part.value.includes(boundary))) return boundary;
  }
}

/**
 * Encodes parts as `multipart/form-data` with a fresh random boundary. Returns the body and
 * the `content-type` that names its boundary.
 */
export function encodeMultipart(parts: readonly MultipartPart[]): {
  readonly contentType: string;
  readonly body: string;
} {
  const boundary = chooseBoundary(parts);
  const body = parts
    .map((part) => `--${boundary}\r\n${partHeader(part)}\r\n${part.value}\r\n`)
    .join("");
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: `${body}--${boundary}--\r\n`,
  };
}
