import { safeParseWire } from "@plugboard/contracts";
import type { z } from "zod";
import { ApiError } from "./problem-handler.js";

/** Parses a wire (snake_case) value into its camelCase form, or throws a 400 naming each path. */
export function parseWireOrThrow<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
  where: string,
): z.output<S> {
  const result = safeParseWire(schema, input);
  if (result.success) return result.data;
  throw new ApiError(
    where === "request body" ? "PLUGBOARD_VALIDATION_FAILED" : "PLUGBOARD_BAD_REQUEST",
    `the ${where} is invalid`,
    result.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
      code: issue.code,
    })),
  );
}
