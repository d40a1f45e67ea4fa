import { describe, expect, it } from "vitest";
import { cachedSecretRedactor, createSecretRedactor, secretsToRedact } from "./redact-secrets.js";

/** A secret with a space, JSON and URL specials, and letters outside ASCII and the BMP. */
const SECRET = 's3cr/t "ключ"+&=😀';

/** Writes every character as \uXXXX, as ASCII-only JSON writers do. */
function asciiJson(value: string): string {
  let text = "";
  for (let index = 0; index < value.length; index++) {
    text += `\\u${value.charCodeAt(index).toString(16).padStart(4, "0")}`;
  }
  return text;
}

/** Percent-encodes every byte, lowercase hex. */
function encodeEveryByte(value: string): string {
  return [...Buffer.from(value)].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
}

const ENCODINGS: ReadonlyArray<readonly [string, string]> = [
  ["as is", SECRET],
  ["JSON-escaped", JSON.stringify(SECRET).slice(1, -1)],
  ["JSON-escaped with \\/", JSON.stringify(SECRET).slice(1, -1).replaceAll("/", "\\/")],
  ["JSON-escaped as ASCII", asciiJson(SECRET)],
  ["URL-encoded", encodeURIComponent(SECRET)],
  ["form-encoded with +", new URLSearchParams([["k", SECRET]]).toString().slice(2)],
  ["percent-encoded byte by byte in lowercase", encodeEveryByte(SECRET)],
  ["in base64", Buffer.from(SECRET).toString("base64")],
  ["in base64url", Buffer.from(SECRET).toString("base64url")],
  ["in lowercase hex", Buffer.from(SECRET).toString("hex")],
  ["in uppercase hex", Buffer.from(SECRET).toString("hex").toUpperCase()],
];

describe("redacting secrets", () => {
  it("replaces every occurrence, longest secret first", () => {
    const secrets = secretsToRedact(["abcd", "abcd-efgh", "xy"]);
    expect(secrets).toEqual(["abcd-efgh", "abcd"]);
    expect(createSecretRedactor(secrets).text("a=abcd-efgh b=abcd c=xy")).toBe(
      "a=[REDACTED] b=[REDACTED] c=xy",
    );
  });

  it.each(ENCODINGS)("replaces a secret written %s", (_label, encoded) => {
    const redactor = createSecretRedactor([SECRET]);
    expect(redactor.text(`before ${encoded} after`)).toBe("before [REDACTED] after");
  });

  it.each([0, 1, 2])(
    "replaces a secret inside a longer base64 text, starting %i bytes into a 3-byte group",
    (alignment) => {
      const redactor = createSecretRedactor([SECRET]);
      const bytes = Buffer.byteLength(SECRET);
      // The base64 characters carrying only the secret's bits: those are the ones to go.
      const secretOnly = Math.floor(((alignment + bytes) * 8) / 6) - Math.ceil((alignment * 8) / 6);
      for (const encoding of ["base64", "base64url"] as const) {
        const encoded = Buffer.from(`${"u".repeat(3 + alignment)}${SECRET}:tail`).toString(
          encoding,
        );
        const redacted = redactor.text(encoded);
        expect(redacted).toContain("[REDACTED]");
        expect(encoded.length - (redacted.length - "[REDACTED]".length)).toBe(secretOnly);
      }
    },
  );

  it("leaves text without the secret and values shorter than four characters alone", () => {
    const redactor = createSecretRedactor([SECRET, "abc"]);
    const text = 'a plain line with abc, "quotes", %2F and c3Nj';
    expect(redactor.text(text)).toBe(text);
  });

  it("replaces fields named like secrets whole and keeps a __proto__ key a key", () => {
    const value = JSON.parse(
      '{"Authorization":"Bearer x","user":{"api_key":1,"name":"n"},"__proto__":{"a":"s3cret!"}}',
    );
    const redacted = createSecretRedactor(["s3cret!"]).json(value);
    expect(redacted).toEqual(
      JSON.parse(
        '{"Authorization":"[REDACTED]","user":{"api_key":"[REDACTED]","name":"n"},"__proto__":{"a":"[REDACTED]"}}',
      ),
    );
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
  });

  it("never matches a replacement again, whatever the secrets", () => {
    expect(createSecretRedactor(["REDACTED", "secret-1"]).text("secret-1")).toBe("[REDACTED]");
  });

  it("builds a new redactor only when the set of values changes", () => {
    const redactorFor = cachedSecretRedactor();
    const first = redactorFor(["abcd", "efgh"]);
    expect(redactorFor(new Set(["efgh", "abcd"]))).toBe(first);
    expect(redactorFor(["abcd"])).not.toBe(first);
  });
});
