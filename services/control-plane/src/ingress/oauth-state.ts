import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/** How long an issued state is accepted. */
export const OAUTH_STATE_TTL_SECONDS = 600;

/**
 * The key that signs OAuth states, derived from the vault key so it needs no storage of its
 * own and changes when the vault key does.
 */
export function deriveOAuthStateKey(vaultKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", vaultKey, Buffer.alloc(0), "plugboard oauth state", 32));
}

function mac(key: Buffer, pluginId: string, expires: string, nonce: string): string {
  return createHmac("sha256", key).update(`${pluginId}\n${expires}\n${nonce}`).digest("base64url");
}

/**
 * A state value for an OAuth authorisation the host starts for `pluginId`:
 * `<expiry seconds>.<nonce>.<mac>`, bound to the plugin, valid for ten minutes. The nonce is
 * the callback's event id, so a state is accepted once.
 */
export function issueOAuthState(key: Buffer, pluginId: string, now: Date): string {
  const expires = String(Math.floor(now.getTime() / 1000) + OAUTH_STATE_TTL_SECONDS);
  const nonce = randomBytes(16).toString("base64url");
  return `${expires}.${nonce}.${mac(key, pluginId, expires, nonce)}`;
}

/** The nonce of a state this host issued for `pluginId` and that has not expired. */
export function verifyOAuthState(
  key: Buffer,
  pluginId: string,
  state: string,
  now: Date,
): string | undefined {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(state);
  if (match === null) return undefined;
  const [, expires = "", nonce = "", presented = ""] = match;
  const expected = Buffer.from(mac(key, pluginId, expires, nonce));
  if (!timingSafeEqual(Buffer.from(presented), expected)) return undefined;
  return Number(expires) >= Math.floor(now.getTime() / 1000) ? nonce : undefined;
}
