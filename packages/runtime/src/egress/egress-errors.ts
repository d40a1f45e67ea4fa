/**
 * Every way an outbound request can fail, declared once: whether the policy refused it
 * (`denied`), the HTTP status a host should answer its caller with, and a title.
 */
export const EGRESS_ERRORS = {
  invalid_request: { denied: true, status: 400, title: "The request is malformed" },
  scheme_not_allowed: { denied: true, status: 403, title: "The URL scheme is not allowed" },
  userinfo: { denied: true, status: 403, title: "The URL carries a user name or password" },
  host_not_granted: { denied: true, status: 403, title: "The host is not granted" },
  port_not_granted: { denied: true, status: 403, title: "The port is not granted" },
  forbidden_address: { denied: true, status: 403, title: "The host has a forbidden address" },
  too_many_redirects: { denied: true, status: 502, title: "Too many redirects" },
  response_too_large: { denied: false, status: 502, title: "The response is too large" },
  timeout: { denied: false, status: 504, title: "The request timed out" },
  aborted: { denied: false, status: 499, title: "The request was cancelled" },
  dns_failed: { denied: false, status: 502, title: "The host name did not resolve" },
  connection_failed: { denied: false, status: 502, title: "The connection failed" },
} as const;

export type EgressErrorReason = keyof typeof EGRESS_ERRORS;

/** The reasons for which the policy refuses a request, as opposed to the network failing it. */
export type EgressDenialReason = {
  [R in EgressErrorReason]: (typeof EGRESS_ERRORS)[R]["denied"] extends true ? R : never;
}[EgressErrorReason];

/**
 * Any failure of an outbound request through the egress guard. `reason` is stable; `host`
 * and `address` name what was refused; `message` is for people.
 */
export class EgressError extends Error {
  readonly reason: EgressErrorReason;
  readonly status: number;
  /** The host the request was going to, as written in its URL after normalisation. */
  readonly host: string;
  /** The IP address concerned, when there is one. */
  readonly address: string | undefined;

  constructor(reason: EgressErrorReason, host: string, message: string, address?: string) {
    super(message);
    this.name = "EgressError";
    this.reason = reason;
    this.status = EGRESS_ERRORS[reason].status;
    this.host = host;
    this.address = address;
  }
}

/** A request the egress policy refused before or between connections. */
export class EgressDeniedError extends EgressError {
  declare readonly reason: EgressDenialReason;

  constructor(reason: EgressDenialReason, host: string, message: string, address?: string) {
    super(reason, host, message, address);
    this.name = "EgressDeniedError";
  }
}

function isDenial(reason: EgressErrorReason): reason is EgressDenialReason {
  return EGRESS_ERRORS[reason].denied;
}

/** Builds the error for a reason: an `EgressDeniedError` when the policy refused. */
export function egressError(
  reason: EgressErrorReason,
  host: string,
  message: string,
  address?: string,
): EgressError {
  return isDenial(reason)
    ? new EgressDeniedError(reason, host, message, address)
    : new EgressError(reason, host, message, address);
}
