import {
  type ApiErrorCode,
  buildProblem,
  PROBLEM_CONTENT_TYPE,
  ProblemDetailsSchema,
  toWire,
} from "@plugboard/contracts";
import type { FastifyInstance } from "fastify";

/** An error a route throws on purpose: a registered code, a detail and offending paths. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly errors: ReadonlyArray<{ path: string; message: string; code: string }>;
  /** The status, when it is not the code's own (a hook's block chooses its status). */
  readonly status: number | undefined;

  constructor(
    code: ApiErrorCode,
    detail: string,
    errors: ReadonlyArray<{ path: string; message: string; code: string }> = [],
    options: { readonly status?: number } = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.code = code;
    this.errors = errors;
    this.status = options.status;
  }
}

/**
 * Fastify's own request errors (malformed JSON, wrong content type, body too large) carry a
 * 4xx `statusCode`; they are the client's mistake and map onto the registered codes.
 */
function frameworkClientError(error: unknown): ApiErrorCode | undefined {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return undefined;
  switch (error.statusCode) {
    case 400:
      return "PLUGBOARD_BAD_REQUEST";
    case 413:
      return "PLUGBOARD_PAYLOAD_TOO_LARGE";
    case 415:
      return "PLUGBOARD_UNSUPPORTED_MEDIA_TYPE";
    default:
      return undefined;
  }
}

function clientDetail(error: unknown): string {
  return error instanceof Error ? error.message : "the request is malformed";
}

/**
 * Turns every thrown error into `application/problem+json`. Unknown errors become a 500
 * with the request id and no stack or message, which could carry internals.
 */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const clientCode = error instanceof ApiError ? undefined : frameworkClientError(error);
    const problem =
      error instanceof ApiError
        ? buildProblem(error.code, {
            detail: error.message,
            errors: error.errors,
            requestId: request.id,
            ...(error.status === undefined ? {} : { status: error.status }),
          })
        : clientCode !== undefined
          ? buildProblem(clientCode, { detail: clientDetail(error), requestId: request.id })
          : buildProblem("PLUGBOARD_INTERNAL", { requestId: request.id });
    if (!(error instanceof ApiError) && clientCode === undefined) {
      request.log.error({ err: error }, "unhandled error");
    }
    void reply
      .status(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(toWire(ProblemDetailsSchema, problem));
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = buildProblem("PLUGBOARD_NOT_FOUND", {
      detail: `no route ${request.method} ${request.url}`,
      requestId: request.id,
    });
    void reply.status(404).type(PROBLEM_CONTENT_TYPE).send(toWire(ProblemDetailsSchema, problem));
  });
}
