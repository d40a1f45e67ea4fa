import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { matchesIntegrity, sha512Integrity } from "./integrity.js";

const bytes = Buffer.from("package bytes");

describe("matchesIntegrity", () => {
  it("accepts the sha512 integrity of the bytes, as npm writes it", () => {
    expect(sha512Integrity(bytes)).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    expect(matchesIntegrity(bytes, sha512Integrity(bytes))).toBe(true);
  });

  it("finds the sha512 entry among several hashes and options", () => {
    const sha1 = `sha1-${createHash("sha1").update(bytes).digest("base64")}`;
    expect(matchesIntegrity(bytes, `${sha1} ${sha512Integrity(bytes)}?x-opt`)).toBe(true);
  });

  it("refuses other bytes, and an integrity without a sha512 digest", () => {
    expect(matchesIntegrity(Buffer.from("other bytes"), sha512Integrity(bytes))).toBe(false);
    const sha1 = `sha1-${createHash("sha1").update(bytes).digest("base64")}`;
    expect(matchesIntegrity(bytes, sha1)).toBe(false);
    expect(matchesIntegrity(bytes, "")).toBe(false);
  });
});
