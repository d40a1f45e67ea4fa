import { z } from "zod";
import { ApiErrorCodeSchema } from "./errors.js";
import { IssueSchema } from "./issue.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/** The media type of every error response. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/**
 * An error response: RFC 9457 problem details plus the Plugboard error `code`, the offending
 * paths in `errors` and, for errors the server did not expect, the `requestId` to quote to
 * an operator. Never a stack trace.
 */
export const ProblemDetailsSchema = z.strictObject({
  /** A URI naming the kind of problem, derived from `code`. */
  type: z.string().min(1),
  title: z.string().min(1),
  status: z.int().min(400).max(599),
  detail: z.string().min(1).optional(),
  instance: z.string().min(1).optional(),
  code: ApiErrorCodeSchema,
  /** One entry per offending path; empty when the problem is not about the input. */
  errors: z.array(IssueSchema),
  requestId: z.string().min(1).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetailsSchema>;

export const ProblemDetailsWireSchema: WireSchema<typeof ProblemDetailsSchema> =
  toWireSchema(ProblemDetailsSchema);
