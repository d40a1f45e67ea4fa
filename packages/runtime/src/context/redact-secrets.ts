import type { JsonValue } from "@plugboard/plugin-sdk";
import { secretPattern } from "./secret-patterns.js";

export const REDACTED = "[REDACTED]";

/** Keys whose values are secret whatever they hold, as pino's redact paths would name them. */
const SECRET_KEY =
  /secret|token|passw(?:or)?d|authorization|api[-_]?key|cookie|credential|private[-_]?key/i;

/** Shorter values are not redacted: replacing every "1" would garble logs and hide nothing. */
const MIN_SECRET_LENGTH = 4;

/** The secret values worth looking for, longest first (so a value containing another goes first). */
export function secretsToRedact(values: Iterable<string>): string[] {
  const unique = new Set<string>();
  for (const value of values) if (value.length >= MIN_SECRET_LENGTH) unique.add(value);
  return [...unique].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** Replaces secret values in text and JSON with `[REDACTED]`. */
export interface SecretRedactor {
  /** `text` with every secret value, in every encoding `secretPattern` knows, replaced. */
  text(text: string): string;
  /**
   * A copy of `value` with secret values replaced in every string, keys included, and the
   * value of every key that names a secret (`token`, `password`, `authorization`, …)
   * replaced whole.
   */
  json(value: JsonValue): JsonValue;
  /** `json` for an object, keeping its type. */
  record(record: Readonly<Record<string, JsonValue>>): Record<string, JsonValue>;
}

/**
 * A redactor for the given secret values: each is looked for as is, percent- and
 * form-encoded, JSON-escaped, in base64, base64url and hex, in one pass (so a replacement is
 * never matched again).
 *
 * @example createSecretRedactor(["s3cr3t"]).text("token=czNjcjN0") // "token=[REDACTED]"
 */
export function createSecretRedactor(values: Iterable<string>): SecretRedactor {
  const secrets = secretsToRedact(values);
  const pattern =
    secrets.length === 0 ? undefined : new RegExp(secrets.map(secretPattern).join("|"), "g");
  const text = (value: string): string =>
    pattern === undefined ? value : value.replace(pattern, REDACTED);
  const json = (value: JsonValue): JsonValue => {
    if (typeof value === "string") return text(value);
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(json);
    return record(value);
  };
  // fromEntries defines properties, so a "__proto__" key stays a key.
  const record = (entries: Readonly<Record<string, JsonValue>>): Record<string, JsonValue> =>
    Object.fromEntries(
      Object.entries(entries).map(([key, item]) => [
        text(key),
        SECRET_KEY.test(key) ? REDACTED : json(item),
      ]),
    );
  return { text, json, record };
}

/**
 * `createSecretRedactor` that keeps the last redactor it built and builds a new one only
 * when the set of secret values changes, for callers that redact often with the same values.
 */
export function cachedSecretRedactor(): (values: Iterable<string>) => SecretRedactor {
  let last: { readonly key: string; readonly redactor: SecretRedactor } | undefined;
  return (values) => {
    const secrets = secretsToRedact(values);
    // JSON of the sorted list: no value can run into the next one.
    const key = JSON.stringify(secrets);
    if (last?.key !== key) last = { key, redactor: createSecretRedactor(secrets) };
    return last.redactor;
  };
}
