import { describe, expect, it } from "vitest";
import { presentedToken, tokenDigest, tokenMatches } from "./shared-token.js";

const basic = (credentials: string) =>
  `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;

describe("shared webhook tokens", () => {
  it("reads a Bearer token", () => {
    expect(presentedToken("Bearer tok-123")).toBe("tok-123");
    expect(presentedToken("bearer tok-123")).toBe("tok-123");
  });

  it("reads the password of Basic credentials, which may contain colons", () => {
    expect(presentedToken(basic("postmark:tok:123"))).toBe("tok:123");
    expect(presentedToken(basic(":tok"))).toBe("tok");
  });

  it("reads nothing from a missing, empty or unknown Authorization header", () => {
    for (const header of [undefined, "", "Bearer", "Bearer ", "Token tok", basic("user")]) {
      expect(presentedToken(header)).toBeUndefined();
    }
    expect(presentedToken(basic("user:"))).toBeUndefined();
  });

  it("matches only the exact token", () => {
    const stored = tokenDigest("tok-123");
    expect(tokenMatches("tok-123", stored)).toBe(true);
    expect(tokenMatches("tok-124", stored)).toBe(false);
    expect(tokenMatches("tok-12", stored)).toBe(false);
    expect(tokenMatches("", stored)).toBe(false);
  });
});
