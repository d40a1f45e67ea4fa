import { describe, expect, it } from "vitest";
import { MAX_PATTERN_LENGTH, patternRisk } from "./pattern-risk.js";

describe("patternRisk", () => {
  it("accepts patterns that match in about linear time", () => {
    for (const pattern of [
      "ACCT-\\d{6,12}",
      "\\b[A-Z]{2}\\d{2}[A-Z0-9]{10,30}\\b",
      "order #\\d+",
      "(?:foo|bar)-\\d{4}",
      "[a-z(+*)]+@example\\.com",
      "x{2}(?:ab)?y",
      "(?<year>\\d{4})-(?<month>\\d{2})",
      "\\(\\d{3}\\)",
    ]) {
      expect(patternRisk(pattern), pattern).toBeUndefined();
    }
  });

  it("refuses nested quantifiers, at any depth", () => {
    for (const pattern of ["(a+)+b", "(\\d*)*x", "((ab)+c)+", "(?:a{1,3}){2,}", "(a+){2,5}"]) {
      expect(patternRisk(pattern), pattern).toContain("nested quantifiers");
    }
  });

  it("refuses a repeated group with alternatives", () => {
    expect(patternRisk("(a|ab)*c")).toContain("repeats a group with alternatives");
    expect(patternRisk("(?:x|(y|z))+")).toContain("repeats a group with alternatives");
  });

  it("refuses more than one repeat without bound, and bounded repeats that multiply too far", () => {
    expect(patternRisk("\\d+\\s*\\d+")).toContain("repeats without bound (*, + or {n,}) 3 times");
    expect(patternRisk("\\d{0,20}\\d+x")).toContain(
      "bounded repeats that multiply to 20; at most 10 is allowed beside a repeat without bound",
    );
    expect(patternRisk("\\d{1,20}\\d{1,20}\\d{1,20}x")).toContain("multiply to 8000");
  });

  it("refuses backreferences, invalid patterns and overlong ones", () => {
    expect(patternRisk("(a)\\1")).toContain("backreference");
    expect(patternRisk("(?<w>a)\\k<w>")).toContain("backreference");
    expect(patternRisk("([")).toContain("is not a valid regular expression");
    expect(patternRisk("a".repeat(MAX_PATTERN_LENGTH + 1))).toBe(
      `is ${MAX_PATTERN_LENGTH + 1} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`,
    );
  });

  it("reads quantifier characters inside a class or escaped as literals", () => {
    expect(patternRisk("([+*]\\+)+")).toBeUndefined();
  });
});
