import type { JsonValue } from "@plugboard/plugin-sdk";
import { secretsToRedact } from "../context/redact-secrets.js";

/**
 * What stands for a secret in rendered requests and returned text: `«secret:<key>»`, naming
 * the secret key, never its value.
 *
 * @example secretMask("faxline_api_token") // "«secret:faxline_api_token»"
 */
export function secretMask(key: string): string {
  return `«secret:${key}»`;
}

/** A secret value to cut out of text, and what replaces it. */
export interface SecretCut {
  readonly value: string;
  readonly replacement: string;
}

/** A value as each request context writes it: raw, URL-encoded, form-encoded, inside JSON. */
function encodings(value: string): string[] {
  return [
    value,
    encodeURIComponent(value),
    new URLSearchParams([["", value]]).toString().slice(1),
    JSON.stringify(value).slice(1, -1),
  ];
}

/**
 * A function that replaces every occurrence of each secret, in each of its encodings, with
 * its replacement. Values shorter than the log redactor's minimum are left alone, as there.
 */
export function createSecretCutter(cuts: readonly SecretCut[]): (text: string) => string {
  const replacements = new Map<string, string>();
  for (const { value, replacement } of cuts) {
    for (const encoded of encodings(value)) {
      if (!replacements.has(encoded)) replacements.set(encoded, replacement);
    }
  }
  // Longest first, so a value that contains another is replaced whole.
  const ordered = secretsToRedact(replacements.keys());
  return (text) => {
    let cut = text;
    for (const value of ordered) {
      if (cut.includes(value)) cut = cut.replaceAll(value, replacements.get(value) ?? "");
    }
    return cut;
  };
}

/** A copy of a JSON value with `cut` applied to every string in it, keys included. */
export function cutSecretsFromJson(value: JsonValue, cut: (text: string) => string): JsonValue {
  if (typeof value === "string") return cut(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => cutSecretsFromJson(item, cut));
  return cutSecretsFromRecord(value, cut);
}

/** `cutSecretsFromJson` for an object, keeping its type. */
export function cutSecretsFromRecord(
  record: Readonly<Record<string, JsonValue>>,
  cut: (text: string) => string,
): Record<string, JsonValue> {
  // fromEntries defines properties, so a "__proto__" key stays a key.
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [cut(key), cutSecretsFromJson(item, cut)]),
  );
}
