import { describe, expect, it } from "vitest";
import {
  checkPiiRedactorConfig,
  createRedactor,
  MAX_SCANNED_CHARS,
  MAX_SCANNED_CHARS_PER_CALL,
} from "./pii-redactor.js";

const config = (extraPatterns: string[]) => ({
  redactEmails: true,
  redactPhones: true,
  replacement: "[x]",
  extraPatterns,
});

describe("the PII redactor", () => {
  it("redacts emails, phone numbers and extra patterns in every string", () => {
    const redact = createRedactor(config(["ACCT-[A-Z]{2}\\d{4}"]));
    expect(
      redact({ note: "mail ana@example.com or +49 30 1234567", refs: ["ACCT-QX1234", 7] }),
    ).toEqual({ note: "mail [x] or [x]", refs: ["[x]", 7] });
  });

  it("names each extra pattern that could backtrack, at its path", () => {
    expect(checkPiiRedactorConfig(config(["ACCT-\\d+", "(a+)+b", "\\w+\\s+\\w+"]))).toEqual([
      expect.objectContaining({ path: "config.extraPatterns[1]", code: "unsafe_pattern" }),
      expect.objectContaining({ path: "config.extraPatterns[2]", code: "unsafe_pattern" }),
    ]);
  });

  it("refuses to set up with a pattern that could backtrack", () => {
    expect(() => createRedactor(config(["(a+)+b"]))).toThrow(
      'config.extraPatterns[0]: the pattern "(a+)+b" repeats a group that repeats inside it',
    );
  });

  it("scans only the start of a long string with extra patterns, replacing the rest unread", () => {
    const redact = createRedactor(config(["secret-\\d{4}"]));
    const long = `secret-1234 ${"a".repeat(MAX_SCANNED_CHARS)}secret-5678`;
    const redacted = redact(long);
    expect(typeof redacted === "string" && redacted.startsWith("[x] aaa")).toBe(true);
    expect(redacted).toBe(`[x] ${"a".repeat(MAX_SCANNED_CHARS - 12)}[x]`);
    expect(String(redacted)).not.toContain("5678");
  });

  it("stops scanning with extra patterns once a body's budget is spent", () => {
    const redact = createRedactor(config(["secret-\\d{4}"]));
    const strings = Math.ceil(MAX_SCANNED_CHARS_PER_CALL / 1_000) + 1;
    const body = Array.from({ length: strings }, (_, i) => `${"b".repeat(990)}secret-${1000 + i}`);
    const redacted = redact(body);
    expect(Array.isArray(redacted)).toBe(true);
    const last = Array.isArray(redacted) ? redacted.at(-1) : undefined;
    expect(last).toBe("[x]");
  });

  it("leaves long strings whole when there are no extra patterns", () => {
    const long = `${"c".repeat(MAX_SCANNED_CHARS * 2)} ana@example.com`;
    expect(createRedactor(config([]))(long)).toBe(`${"c".repeat(MAX_SCANNED_CHARS * 2)} [x]`);
  });
});
