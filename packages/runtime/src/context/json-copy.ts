import type { JsonValue } from "@plugboard/plugin-sdk";
import { ContextError } from "./context-errors.js";

/**
 * A JSON copy of a value a plugin passed: what crosses the sandbox boundary, and what an
 * in-process plugin gets too, so neither side keeps a reference into the other's objects.
 * Cycles, BigInts, throwing getters and proxies fail as `invalid_argument`, values longer
 * than `maxLength` characters of JSON as `limit_exceeded`; both messages start with `where`.
 */
export function copyJson(value: unknown, maxLength: number, where: string): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ContextError("invalid_argument", `${where} must be a JSON value (${reason(error)})`);
  }
  if (text === undefined) {
    throw new ContextError(
      "invalid_argument",
      `${where} must be a JSON value, not a ${typeof value}`,
    );
  }
  if (text.length > maxLength) {
    throw new ContextError(
      "limit_exceeded",
      `${where} is ${text.length} characters of JSON; the limit is ${maxLength}`,
    );
  }
  return JSON.parse(text);
}

function reason(error: unknown): string {
  try {
    return error instanceof Error ? error.message : "it could not be serialised";
  } catch {
    return "it could not be serialised";
  }
}
