import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, readJsonText } from "./json-text.js";

describe("readJsonText", () => {
  it("parses JSON text within the length cap", () => {
    expect(readJsonText('{"a":[1,"x",null]}', 100)).toEqual({
      ok: true,
      value: { a: [1, "x", null] },
    });
  });

  it.each([
    ["text over the cap", "[1,2,3]", 5, "7 characters of JSON; the limit is 5"],
    ["a value that is not text", 42, 100, "expected JSON text, got a number"],
    ["text that is not JSON", "{", 100, "the text is not JSON"],
    ["a __proto__ key", '{"a":{"__proto__":{"x":1}}}', 100, 'an object has a "__proto__" key'],
    [
      "nesting deeper than the limit",
      `${"[".repeat(MAX_JSON_DEPTH + 1)}${"]".repeat(MAX_JSON_DEPTH + 1)}`,
      1_000,
      `the value nests deeper than ${MAX_JSON_DEPTH} levels`,
    ],
  ])("refuses %s", (_case, text, maxLength, message) => {
    expect(readJsonText(text, maxLength)).toEqual({ ok: false, message });
  });

  it("walks a deep value without recursion, so it cannot overflow the host's stack", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(readJsonText(deep, 1_000_000).ok).toBe(false);
  });
});
