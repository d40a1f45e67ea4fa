/**
 * Every way a call on a plugin's context can fail, declared once: the HTTP status a host
 * should answer with and a title. Plugin code sees the same `code` on the error it catches.
 */
export const CONTEXT_ERRORS = {
  permission_denied: { status: 403, title: "The plugin was not granted the permission" },
  invalid_argument: { status: 400, title: "A context call got an invalid argument" },
  limit_exceeded: { status: 413, title: "A context call passed a limit" },
  unavailable: { status: 503, title: "The host provides no such service or value" },
  egress_denied: { status: 403, title: "The egress guard refused the request" },
  egress_failed: { status: 502, title: "The outbound request failed" },
  host_failed: { status: 500, title: "The host could not complete the call" },
} as const;

export type ContextErrorCode = keyof typeof CONTEXT_ERRORS;

/** A context call refused or failed; `code` is stable, `message` names the call and the cause. */
export class ContextError extends Error {
  readonly code: ContextErrorCode;
  readonly status: number;

  constructor(code: ContextErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PluginContextError";
    this.code = code;
    this.status = CONTEXT_ERRORS[code].status;
  }
}

export function isContextErrorCode(value: unknown): value is ContextErrorCode {
  return typeof value === "string" && Object.hasOwn(CONTEXT_ERRORS, value);
}
