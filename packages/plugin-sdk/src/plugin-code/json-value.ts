import { z } from "zod";
import type { JsonValue } from "./plugin-context.js";

/** True when no object or array contains itself: JSON text cannot express a cycle. */
function isAcyclic(value: unknown, ancestors = new Set<object>()): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (ancestors.has(value)) return false;
  ancestors.add(value);
  const acyclic = Object.values(value).every((child) => isAcyclic(child, ancestors));
  ancestors.delete(value);
  return acyclic;
}

/**
 * A JSON value, as plugin code hands one back. z.json() accepts an object that contains
 * itself; a host serialising it would throw, so this refuses one.
 */
export const JsonValueSchema: z.ZodType<JsonValue> = z.json().refine((value) => isAcyclic(value), {
  error: "expected a JSON value, but this one contains itself",
});
