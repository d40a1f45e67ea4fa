import { describe, expect, it } from "vitest";
import { createSecretCutter, cutSecretsFromJson, secretMask } from "./secret-masks.js";

describe("secret masks", () => {
  it("names the secret key, never its value", () => {
    expect(secretMask("faxline_api_token")).toBe("«secret:faxline_api_token»");
  });

  it("cuts a secret raw, URL-encoded, form-encoded and JSON-escaped", () => {
    const value = 'a b/"c&d';
    const cut = createSecretCutter([{ value, replacement: "«secret:k»" }]);
    for (const written of [
      value,
      encodeURIComponent(value),
      new URLSearchParams({ x: value }).toString().slice(2),
      JSON.stringify(value).slice(1, -1),
    ]) {
      expect(cut(`before ${written} after`), written).toBe("before «secret:k» after");
    }
  });

  it("replaces a secret that contains another one whole", () => {
    const cut = createSecretCutter([
      { value: "abcd", replacement: "«secret:short»" },
      { value: "abcdefgh", replacement: "«secret:long»" },
    ]);
    expect(cut("abcdefgh abcd")).toBe("«secret:long» «secret:short»");
  });

  it("leaves values shorter than four characters alone, like the log redactor", () => {
    expect(createSecretCutter([{ value: "abc", replacement: "«secret:k»" }])("abc")).toBe("abc");
  });

  it("cuts secrets from every string of a JSON value, keys included", () => {
    const cut = createSecretCutter([{ value: "s3cr3t", replacement: "«secret:k»" }]);
    expect(
      cutSecretsFromJson({ s3cr3t: ["x s3cr3t", 1, null, { y: "s3cr3t" }] }, cut),
    ).toStrictEqual({
      "«secret:k»": ["x «secret:k»", 1, null, { y: "«secret:k»" }],
    });
  });
});
