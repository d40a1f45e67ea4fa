import { validateHeaderValue } from "node:http";
import type {
  HttpAuth,
  HttpMethod,
  HttpOperation,
  HttpResponseMapping,
} from "@plugboard/plugin-sdk";
import type { AppliedAuth } from "./http-auth.js";
import { authHeaderName, authQueryName } from "./http-auth.js";
import { type CompiledBody, compileBody, renderBody } from "./http-body.js";
import { HttpRuntimeError } from "./http-runtime-errors.js";
import {
  operationFieldPath,
  type ParsedTemplate,
  parseTemplate,
  renderText,
  type TemplateValues,
} from "./http-template.js";
import { type CompiledUrl, compileUrl, renderUrl } from "./http-url.js";

/** An operation with every template parsed and its header and auth conflicts checked. */
export interface CompiledOperation {
  readonly name: string;
  readonly method: HttpMethod;
  readonly url: CompiledUrl;
  /** Headers in the order written: the lowercase name, the template, the name as written. */
  readonly headers: readonly (readonly [name: string, template: ParsedTemplate, written: string])[];
  readonly body: CompiledBody | undefined;
  readonly response: HttpResponseMapping | undefined;
  readonly timeoutMs: number | undefined;
}

/** The request an operation makes: what `render` returns and `perform` sends. */
export interface RenderedHttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  /** Lowercase names, as the egress guard sends them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly timeoutMs: number | undefined;
  /** The headers the auth scheme set, which never follow a redirect to another origin. */
  readonly credentialHeaders: readonly string[];
}

/**
 * Parses an operation's templates once, and refuses what no input could fix: a header or
 * query parameter the auth scheme also sets (`auth_conflict`), and a `content-type` header on
 * a multipart body, whose boundary is chosen per request (`content_type_conflict`).
 */
export function compileOperation(
  name: string,
  operation: HttpOperation,
  auth: HttpAuth,
): CompiledOperation {
  const authHeader = authHeaderName(auth);
  const authQuery = authQueryName(auth);
  const headers = Object.entries(operation.headers ?? {}).map(([header, text]) => {
    const lower = header.toLowerCase();
    const path = operationFieldPath(name, ["headers", header]);
    if (lower === authHeader) {
      throw new HttpRuntimeError(
        "auth_conflict",
        `the header ${header} is set by the ${auth.scheme} auth scheme; leave it out of the operation`,
        { operation: name, path },
      );
    }
    if (lower === "content-type" && operation.body?.encoding === "multipart") {
      throw new HttpRuntimeError(
        "content_type_conflict",
        "a multipart body sets its own content-type, with a boundary chosen per request",
        { operation: name, path },
      );
    }
    const template = parseTemplate(text, { operation: name, field: ["headers", header] });
    return [lower, template, header] as const;
  });
  for (const parameter of Object.keys(operation.query ?? {})) {
    if (parameter === authQuery) {
      throw new HttpRuntimeError(
        "auth_conflict",
        `the query parameter ${parameter} is set by the api_key_query auth scheme; leave it out of the operation`,
        { operation: name, path: operationFieldPath(name, ["query", parameter]) },
      );
    }
  }
  return {
    name,
    method: operation.method,
    url: compileUrl(operation.url, operation.query ?? {}, name),
    headers,
    body: operation.body === undefined ? undefined : compileBody(operation.body, name),
    response: operation.response,
    timeoutMs: operation.timeoutMs,
  };
}

const LINE_BREAK_OR_NUL = /[\r\n\0]/;

/** Refuses a header value that would end the header line or that Node cannot send. */
function checkHeaderValue(name: string, value: string, operation: string, path: string): void {
  const site = { operation, path };
  if (LINE_BREAK_OR_NUL.test(value)) {
    throw new HttpRuntimeError(
      "header_invalid",
      `the ${name} header would hold CR, LF or NUL`,
      site,
    );
  }
  try {
    validateHeaderValue(name, value);
  } catch {
    throw new HttpRuntimeError(
      "header_invalid",
      `the ${name} header would hold a control character or a character beyond Latin-1`,
      site,
    );
  }
}

/**
 * Renders the request an operation makes for these values: the URL with auth query
 * parameters, the operation's headers, the body's `content-type` unless the operation sets
 * one, and the auth scheme's headers.
 */
export function renderRequest(
  operation: CompiledOperation,
  values: TemplateValues,
  auth: AppliedAuth,
): RenderedHttpRequest {
  const url = renderUrl(operation.url, values, auth.query);
  // A Map, so no header name (not even "__proto__") can reach an object's prototype.
  const headers = new Map<string, string>();
  for (const [name, template, written] of operation.headers) {
    const value = renderText(template, values);
    checkHeaderValue(written, value, operation.name, template.path);
    headers.set(name, value);
  }
  const body = operation.body === undefined ? undefined : renderBody(operation.body, values);
  if (body !== undefined && !headers.has("content-type")) {
    headers.set("content-type", body.contentType);
  }
  for (const [name, value] of auth.headers) {
    checkHeaderValue(name, value, operation.name, "runtime.auth");
    headers.set(name, value);
  }
  return {
    method: operation.method,
    url: url.href,
    headers: Object.fromEntries(headers),
    body: body?.text,
    timeoutMs: operation.timeoutMs,
    credentialHeaders: auth.headers.map(([name]) => name),
  };
}
