import { SDK_ERRORS } from "@plugboard/plugin-sdk";
import { z } from "zod";
import type { Issue } from "./issue.js";
import type { ProblemDetails } from "./problem.js";

/**
 * Every error the API answers with, declared once: a stable code, its HTTP status and a
 * title. The SDK's own errors are part of the table, so a host can answer a thrown
 * `PlugboardError` by its code.
 */
export const API_ERRORS = {
  ...SDK_ERRORS,
  PLUGBOARD_BAD_REQUEST: { status: 400, title: "Request is malformed" },
  PLUGBOARD_UNAUTHORIZED: { status: 401, title: "Authentication is required" },
  PLUGBOARD_FORBIDDEN: { status: 403, title: "Token lacks the required scope" },
  PLUGBOARD_NOT_FOUND: { status: 404, title: "Resource not found" },
  PLUGBOARD_CONFLICT: { status: 409, title: "Request conflicts with the current state" },
  PLUGBOARD_PAYLOAD_TOO_LARGE: { status: 413, title: "Request body is too large" },
  PLUGBOARD_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Request body must be JSON" },
  PLUGBOARD_VALIDATION_FAILED: { status: 422, title: "Request failed validation" },
  PLUGBOARD_PRECONDITION_REQUIRED: { status: 428, title: "An If-Match header is required" },
  PLUGBOARD_RATE_LIMITED: { status: 429, title: "Too many requests" },
  PLUGBOARD_INTERNAL: { status: 500, title: "Internal error" },
  PLUGBOARD_UNAVAILABLE: { status: 503, title: "Service unavailable" },
  PLUGBOARD_WEBHOOK_QUERY_REFUSED: {
    status: 400,
    title: "Webhook URLs take no query string; credentials go in a header",
  },
  PLUGBOARD_WEBHOOK_TOKEN_INVALID: {
    status: 401,
    title: "Webhook token is missing or does not match",
  },
  PLUGBOARD_WEBHOOK_SIGNATURE_INVALID: {
    status: 401,
    title: "Webhook signature is missing or does not verify",
  },
  PLUGBOARD_WEBHOOK_TIMESTAMP_OUT_OF_RANGE: {
    status: 401,
    title: "Webhook timestamp is outside the replay window",
  },
  PLUGBOARD_WEBHOOK_STATE_INVALID: {
    status: 401,
    title: "OAuth state is missing, expired or was not issued by this host",
  },
  PLUGBOARD_HOOK_BLOCKED: { status: 403, title: "A hook refused the request" },
  PLUGBOARD_HOOK_FAILED: { status: 503, title: "A fail-closed hook failed" },
  PLUGBOARD_PLUGIN_START_FAILED: {
    status: 422,
    title: "The plugin's new code or config did not start; nothing was changed",
  },
} as const satisfies Record<string, { readonly status: number; readonly title: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** The error codes, in table order. */
export const API_ERROR_CODES = Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]];
export const ApiErrorCodeSchema = z.enum(API_ERROR_CODES);

/** The problem type URI of a code: `PLUGBOARD_NOT_FOUND` is `urn:plugboard:problem:not-found`. */
export function problemType(code: ApiErrorCode): string {
  const name = code
    .replace(/^PLUGBOARD_/, "")
    .toLowerCase()
    .replaceAll("_", "-");
  return `urn:plugboard:problem:${name}`;
}

export interface ProblemOptions {
  /**
   * The status when it is not the code's own: a hook that blocks a request chooses the
   * status it is answered with (400 to 599).
   */
  readonly status?: number;
  /** What went wrong this time, for people. */
  readonly detail?: string;
  /** The offending paths. */
  readonly errors?: readonly Issue[];
  /** The request path (or another URI) identifying this occurrence. */
  readonly instance?: string;
  readonly requestId?: string;
}

/**
 * Builds the problem document (RFC 9457) for an error code. The status and title come from
 * the table; send it with `toWire(ProblemDetailsSchema, problem)` as application/problem+json.
 *
 * @example
 * buildProblem("PLUGBOARD_NOT_FOUND", { detail: 'no plugin has id "provider.fax"' });
 */
export function buildProblem(code: ApiErrorCode, options: ProblemOptions = {}): ProblemDetails {
  const { title } = API_ERRORS[code];
  const status = options.status ?? API_ERRORS[code].status;
  return {
    type: problemType(code),
    title,
    status,
    code,
    errors: [...(options.errors ?? [])],
    ...(options.detail === undefined ? {} : { detail: options.detail }),
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
  };
}
