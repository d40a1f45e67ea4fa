import { describe, expect, it } from "vitest";
import { redactJson, redactText, secretsToRedact } from "./redact-secrets.js";

describe("redacting secrets", () => {
  it("replaces every occurrence, longest secret first", () => {
    const secrets = secretsToRedact(["abcd", "abcd-efgh", "xy"]);
    expect(secrets).toEqual(["abcd-efgh", "abcd"]);
    expect(redactText("a=abcd-efgh b=abcd c=xy", secrets)).toBe("a=[REDACTED] b=[REDACTED] c=xy");
  });

  it("replaces fields named like secrets whole and keeps a __proto__ key a key", () => {
    const value = JSON.parse(
      '{"Authorization":"Bearer x","user":{"api_key":1,"name":"n"},"__proto__":{"a":"s3cret!"}}',
    );
    const redacted = redactJson(value, ["s3cret!"]);
    expect(redacted).toEqual(
      JSON.parse(
        '{"Authorization":"[REDACTED]","user":{"api_key":"[REDACTED]","name":"n"},"__proto__":{"a":"[REDACTED]"}}',
      ),
    );
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
  });
});
