import type { JsonValue } from "@plugboard/plugin-sdk";

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
  return [...unique].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of a secret value replaced by `[REDACTED]`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (redacted.includes(secret)) redacted = redacted.replaceAll(secret, REDACTED);
  }
  return redacted;
}

/**
 * A copy of `value` with secret values replaced in every string, and the value of every key
 * that names a secret (`token`, `password`, `authorization`, …) replaced whole.
 */
export function redactJson(value: JsonValue, secrets: readonly string[]): JsonValue {
  if (typeof value === "string") return redactText(value, secrets);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactJson(item, secrets));
  return redactRecord(value, secrets);
}

/** `redactJson` for an object, keeping its type. */
export function redactRecord(
  record: Readonly<Record<string, JsonValue>>,
  secrets: readonly string[],
): Record<string, JsonValue> {
  // fromEntries defines properties, so a "__proto__" key stays a key.
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [
      redactText(key, secrets),
      SECRET_KEY.test(key) ? REDACTED : redactJson(item, secrets),
    ]),
  );
}
