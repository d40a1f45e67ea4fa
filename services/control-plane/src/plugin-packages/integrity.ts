import { createHash, timingSafeEqual } from "node:crypto";

/** The `sha512-…` integrity of bytes, as npm writes it in lockfiles and packuments. */
export function sha512Integrity(bytes: Buffer): string {
  return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

/**
 * The SHA-512 digests an integrity string names. A Subresource Integrity value may list
 * several hashes separated by spaces, and options after `?`; other algorithms are ignored,
 * since only SHA-512 is accepted.
 */
export function sha512Digests(integrity: string): Buffer[] {
  return integrity
    .trim()
    .split(/\s+/)
    .flatMap((entry) => {
      const match = /^sha512-([A-Za-z0-9+/]{86}==)(?:\?.*)?$/.exec(entry);
      return match?.[1] === undefined ? [] : [Buffer.from(match[1], "base64")];
    });
}

/** Whether `bytes` hash to one of the SHA-512 digests `integrity` names. */
export function matchesIntegrity(bytes: Buffer, integrity: string): boolean {
  const actual = createHash("sha512").update(bytes).digest();
  return sha512Digests(integrity).some(
    (expected) => expected.length === actual.length && timingSafeEqual(expected, actual),
  );
}
