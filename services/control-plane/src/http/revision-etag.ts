import type { FastifyRequest } from "fastify";
import { ApiError } from "./problem-handler.js";

const HEADER = "if-match";
const REVISION_TAG = /^(?:"(\d{1,15})"|(\d{1,15}))$/;

/** The ETag of a stored revision: the revision number as a strong entity tag, `"3"`. */
export function revisionEtag(revision: number): string {
  return `"${revision}"`;
}

/**
 * The revision a change expects to replace, from `If-Match`. Required, so no change can
 * silently overwrite one the caller has not seen: a missing header answers 428. The value
 * is one revision as the ETag gives it (`"3"`; a bare `3` is read the same); `*`, weak tags
 * and lists answer 400, as each would let a stale write through.
 */
export function expectedRevision(request: FastifyRequest, resource: string): number {
  const value = request.headers[HEADER];
  if (value === undefined) {
    throw new ApiError(
      "PLUGBOARD_PRECONDITION_REQUIRED",
      `changing ${resource} needs an If-Match header with the revision you read (the ETag of GET ${resource})`,
      [{ path: `headers.${HEADER}`, message: "required", code: "required" }],
    );
  }
  const match = typeof value === "string" ? REVISION_TAG.exec(value.trim()) : null;
  const digits = match?.[1] ?? match?.[2];
  if (digits === undefined) {
    throw new ApiError("PLUGBOARD_BAD_REQUEST", "the If-Match header is invalid", [
      {
        path: `headers.${HEADER}`,
        message: 'expected one revision as its ETag gives it, such as "3"',
        code: "invalid_format",
      },
    ]);
  }
  return Number(digits);
}
