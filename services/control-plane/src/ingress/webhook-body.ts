import type { JsonValue } from "@plugboard/plugin-sdk";
import type { z } from "zod";
import { ApiError } from "../http/problem-handler.js";

/** The body as JSON; 400 when it is not. */
export function parseJsonBody(body: Buffer): JsonValue {
  try {
    return JSON.parse(body.toString("utf8")) as JsonValue;
  } catch {
    throw new ApiError("PLUGBOARD_BAD_REQUEST", "the webhook body is not valid JSON");
  }
}

/** An `application/x-www-form-urlencoded` body as its fields; a repeated field keeps the last. */
export function parseFormBody(body: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
}

/**
 * The body's fields, for a JSON object or a form; undefined for anything else. Used where
 * a value may arrive either way (an OAuth `state` posted back as a form or as JSON).
 */
export function bodyFields(
  contentType: string,
  body: Buffer,
): Readonly<Record<string, unknown>> | undefined {
  if (contentType === "application/x-www-form-urlencoded") return parseFormBody(body);
  if (contentType !== "application/json" && !contentType.endsWith("+json")) return undefined;
  const value = parseJsonBody(body);
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

/**
 * Parses a provider's payload with its schema; 422 naming each offending path as the
 * provider spells it (`FromFull.Email`).
 */
export function parsePayload<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError(
    "PLUGBOARD_VALIDATION_FAILED",
    `the webhook body is not ${what}`,
    result.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
      code: issue.code,
    })),
  );
}
