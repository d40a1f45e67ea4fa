import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  deriveOAuthStateKey,
  issueOAuthState,
  OAUTH_STATE_TTL_SECONDS,
  verifyOAuthState,
} from "./oauth-state.js";

const key = deriveOAuthStateKey(randomBytes(32));
const PLUGIN = "ingress.acme.oauth-return";
const now = new Date("2025-03-01T12:00:00Z");
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe("OAuth state", () => {
  it("accepts a state issued for the plugin until it expires, naming its nonce", () => {
    const state = issueOAuthState(key, PLUGIN, now);
    const nonce = verifyOAuthState(key, PLUGIN, state, now);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(verifyOAuthState(key, PLUGIN, state, later(OAUTH_STATE_TTL_SECONDS))).toBe(nonce);
    expect(verifyOAuthState(key, PLUGIN, state, later(OAUTH_STATE_TTL_SECONDS + 1))).toBe(
      undefined,
    );
  });

  it("issues a different state each time", () => {
    expect(issueOAuthState(key, PLUGIN, now)).not.toBe(issueOAuthState(key, PLUGIN, now));
  });

  it("refuses a state issued for another plugin or by another key", () => {
    const state = issueOAuthState(key, PLUGIN, now);
    expect(verifyOAuthState(key, "ingress.acme.other", state, now)).toBeUndefined();
    const otherKey = deriveOAuthStateKey(randomBytes(32));
    expect(verifyOAuthState(otherKey, PLUGIN, state, now)).toBeUndefined();
  });

  it("refuses a state whose expiry or nonce was changed", () => {
    const [expires = "", nonce = "", mac = ""] = issueOAuthState(key, PLUGIN, now).split(".");
    expect(verifyOAuthState(key, PLUGIN, `${Number(expires) + 60}.${nonce}.${mac}`, now)).toBe(
      undefined,
    );
    const otherNonce = `${nonce.slice(0, -1)}${nonce.endsWith("A") ? "B" : "A"}`;
    expect(verifyOAuthState(key, PLUGIN, `${expires}.${otherNonce}.${mac}`, now)).toBe(undefined);
    expect(verifyOAuthState(key, PLUGIN, "", now)).toBeUndefined();
  });
});
