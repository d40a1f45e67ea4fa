import type { EgressErrorReason } from "../egress/egress-errors.js";

/** When an error can happen, which decides how it reaches the caller. */
export const HTTP_RUNTIME_ERROR_STAGES = ["load", "call", "request", "response", "egress"] as const;
export type HttpRuntimeErrorStage = (typeof HTTP_RUNTIME_ERROR_STAGES)[number];

interface ErrorEntry {
  readonly stage: HttpRuntimeErrorStage;
  /** Whether the same request may succeed later; `by_status` follows the HTTP status. */
  readonly retryable: boolean | "by_status";
  readonly title: string;
}

// One entry per egress reason, checked by `satisfies`: a reason added to EGRESS_ERRORS fails
// to compile here until it says whether it is retryable.
const EGRESS_FAILURES = {
  egress_invalid_request: {
    stage: "egress",
    retryable: false,
    title: "The egress guard refused the request as malformed",
  },
  egress_scheme_not_allowed: {
    stage: "egress",
    retryable: false,
    title: "The URL scheme is not allowed",
  },
  egress_userinfo: { stage: "egress", retryable: false, title: "The URL carries credentials" },
  egress_host_not_granted: { stage: "egress", retryable: false, title: "The host is not granted" },
  egress_port_not_granted: { stage: "egress", retryable: false, title: "The port is not granted" },
  egress_forbidden_address: {
    stage: "egress",
    retryable: false,
    title: "The host resolved to a forbidden address",
  },
  egress_too_many_redirects: { stage: "egress", retryable: false, title: "Too many redirects" },
  egress_response_too_large: {
    stage: "egress",
    retryable: false,
    title: "The response is too large",
  },
  egress_timeout: { stage: "egress", retryable: true, title: "The request timed out" },
  egress_aborted: { stage: "egress", retryable: true, title: "The caller cancelled the request" },
  egress_dns_failed: { stage: "egress", retryable: true, title: "The host name did not resolve" },
  egress_connection_failed: { stage: "egress", retryable: true, title: "The connection failed" },
} as const satisfies Record<`egress_${EgressErrorReason}`, ErrorEntry>;

/**
 * Every error of the declarative HTTP interpreter, declared once: its stage, whether a retry
 * may succeed, and a title. `load` errors are thrown by `createHttpRuntimeClient`, `call`
 * errors by `render` and `perform`; `request` errors are thrown by `render` and returned by
 * `perform`; `response` and `egress` errors are only returned by `perform`.
 */
export const HTTP_RUNTIME_ERRORS = {
  template_invalid: {
    stage: "load",
    retryable: false,
    title: "A template has a malformed placeholder",
  },
  url_not_literal: {
    stage: "load",
    retryable: false,
    title: "An operation URL does not write out its scheme and host",
  },
  auth_conflict: {
    stage: "load",
    retryable: false,
    title: "The operation sets a header or query parameter the auth scheme sets",
  },
  content_type_conflict: {
    stage: "load",
    retryable: false,
    title: "A multipart operation sets its own content-type",
  },
  operation_unknown: { stage: "call", retryable: false, title: "The operation is not defined" },
  value_missing: { stage: "request", retryable: false, title: "A placeholder has no value" },
  value_invalid: {
    stage: "request",
    retryable: false,
    title: "A value cannot be written where its placeholder is",
  },
  header_invalid: {
    stage: "request",
    retryable: false,
    title: "A header value holds a character a header cannot carry",
  },
  url_invalid: {
    stage: "request",
    retryable: false,
    title: "The rendered URL would leave the template's origin or path",
  },
  part_name_invalid: {
    stage: "request",
    retryable: false,
    title: "A multipart name or filename holds CR, LF or NUL",
  },
  file_invalid: { stage: "request", retryable: false, title: "A multipart file value is invalid" },
  secret_missing: { stage: "request", retryable: false, title: "A secret has no value set" },
  http_status: {
    stage: "response",
    retryable: "by_status",
    title: "The provider answered with an error status",
  },
  response_not_json: {
    stage: "response",
    retryable: false,
    title: "The response body is not JSON, but the operation maps it",
  },
  ...EGRESS_FAILURES,
} as const satisfies Record<string, ErrorEntry>;

export type HttpRuntimeErrorCode = keyof typeof HTTP_RUNTIME_ERRORS;

/** The codes an `HttpRuntimeError` can carry: everything found before a request is sent. */
export type HttpRuntimeThrownCode = {
  [C in HttpRuntimeErrorCode]: (typeof HTTP_RUNTIME_ERRORS)[C]["stage"] extends
    | "load"
    | "call"
    | "request"
    ? C
    : never;
}[HttpRuntimeErrorCode];

/** Where an error was found: the operation and the manifest field, in author form. */
export interface HttpRuntimeErrorSite {
  readonly operation?: string;
  readonly path?: string;
}

/**
 * A manifest, call or request the interpreter cannot use. `code` is stable; `path` names the
 * manifest field (`runtime.operations.send_fax.body.template.to`); `message` is for people.
 */
export class HttpRuntimeError extends Error {
  readonly code: HttpRuntimeThrownCode;
  readonly operation: string | undefined;
  readonly path: string | undefined;

  constructor(code: HttpRuntimeThrownCode, message: string, site: HttpRuntimeErrorSite = {}) {
    super(site.path === undefined ? message : `${site.path}: ${message}`);
    this.name = "HttpRuntimeError";
    this.code = code;
    this.operation = site.operation;
    this.path = site.path;
  }
}

/** The result code for an egress failure: `egress_` and the guard's reason. */
export function egressFailureCode(reason: EgressErrorReason): `egress_${EgressErrorReason}` {
  return `egress_${reason}`;
}
