import { hash, timingSafeEqual } from "node:crypto";

/**
 * The token a request presents in its Authorization header: `Bearer <token>`, or the password
 * of `Basic` credentials (what a provider sends for a webhook URL with `user:token@`). Never
 * read from the query string.
 */
export function presentedToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const space = authorization.indexOf(" ");
  if (space < 0) return undefined;
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (value === "") return undefined;
  if (scheme === "bearer") return value;
  if (scheme !== "basic") return undefined;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 || colon === decoded.length - 1 ? undefined : decoded.slice(colon + 1);
}

/** The SHA-256 digest a token is compared by. */
export function tokenDigest(token: string): Buffer {
  // One-shot hashing: no Hash object per request.
  return hash("sha256", token, "buffer");
}

/**
 * Compares in constant time, as 32-byte digests, so neither the position of the first
 * difference nor the length of the stored token shows in the timing. The stored token's
 * digest is computed once, when the secret is read.
 */
export function tokenMatches(presented: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(tokenDigest(presented), expectedDigest);
}
