import type { HttpRuntime, JobStatus, JsonValue } from "@plugboard/plugin-sdk";
import { EgressError } from "../egress/egress-errors.js";
import type { EgressRequest, EgressResponse } from "../egress/egress-request.js";
import { type AppliedAuth, applyAuth, type SecretResolver } from "./http-auth.js";
import {
  type CompiledOperation,
  compileOperation,
  type RenderedHttpRequest,
  renderRequest,
} from "./http-request.js";
import {
  type CompiledResponseMapping,
  classifyHttpStatus,
  compileResponseMapping,
  type HttpResponseWarning,
  mapResponse,
} from "./http-response-mapping.js";
import {
  egressFailureCode,
  HTTP_RUNTIME_ERRORS,
  HttpRuntimeError,
  type HttpRuntimeErrorCode,
} from "./http-runtime-errors.js";
import { createSecretCutter, cutSecretsFromRecord } from "./secret-masks.js";

/** The parts of a manifest the interpreter reads; any manifest with an HTTP runtime fits. */
export interface HttpRuntimeManifest {
  readonly id: string;
  readonly runtime: HttpRuntime;
}

/**
 * Sends one request through the host's egress guard, such as
 * `(request, { signal }) => sendEgressRequest(request, policy, { lookup, signal })`, the
 * same shape as a context's `EgressSender`.
 */
export type HttpRuntimeSender = (
  request: EgressRequest,
  options: { readonly signal?: AbortSignal },
) => Promise<EgressResponse>;

export interface HttpRuntimeClientOptions {
  readonly manifest: HttpRuntimeManifest;
  /** The plugin's settings, which `{{ config.<name> }}` placeholders read. */
  readonly config: Readonly<Record<string, JsonValue>>;
  /** Reads the plugin's secrets, such as `(key) => secretStore.resolve(manifest.id, key)`. */
  readonly secrets: SecretResolver;
  readonly send: HttpRuntimeSender;
}

export interface HttpRenderOptions {
  /**
   * Write `«secret:<key>»` where each secret would go, reading no secret; true unless set to
   * false, which reads the secrets and shows their values.
   */
  readonly maskSecrets?: boolean;
}

export interface HttpPerformOptions {
  /** Cancels the request; the result is then `egress_aborted`. */
  readonly signal?: AbortSignal;
}

/** An operation that got a 2xx response and whose mapping could read it. */
export interface HttpOperationSuccess {
  readonly ok: true;
  readonly httpStatus: number;
  /** The response values named by `response.fields`, by output name. */
  readonly fields: Readonly<Record<string, JsonValue>>;
  /** The provider's own status, read from `response.statusPath`. */
  readonly providerStatus: string | undefined;
  /** The provider status through `response.statusMap`; undefined when the map lacks it. */
  readonly status: JobStatus | undefined;
  readonly warnings: readonly HttpResponseWarning[];
}

/** An operation that could not be sent, was refused, or failed at the far end. */
export interface HttpOperationFailure {
  readonly ok: false;
  /** Whether the same request may succeed later. */
  readonly retryable: boolean;
  /** The provider's status, when it answered. */
  readonly httpStatus: number | undefined;
  readonly error: {
    readonly code: HttpRuntimeErrorCode;
    readonly message: string;
    /** The manifest field concerned, for errors found while building the request. */
    readonly path?: string;
  };
}

export type HttpOperationResult = HttpOperationSuccess | HttpOperationFailure;

/** A plugin's HTTP runtime, ready to render and perform its operations. */
export interface HttpRuntimeClient {
  readonly pluginId: string;
  /** The operation names the runtime defines, in manifest order. */
  readonly operations: readonly string[];
  render(
    operation: string,
    input: Readonly<Record<string, JsonValue>>,
    options?: HttpRenderOptions,
  ): Promise<RenderedHttpRequest>;
  perform(
    operation: string,
    input: Readonly<Record<string, JsonValue>>,
    options?: HttpPerformOptions,
  ): Promise<HttpOperationResult>;
}

interface PreparedOperation {
  readonly request: CompiledOperation;
  readonly response: CompiledResponseMapping;
}

/** How many characters of a response body an error message quotes. */
const QUOTED_BODY_LENGTH = 200;

/**
 * A masked request with each masked auth query parameter written as the mask itself rather
 * than form-encoded, so a reader sees `key=«secret:api_key»`. The URL is for reading only.
 */
function showMasks(request: RenderedHttpRequest, auth: AppliedAuth): RenderedHttpRequest {
  let url = request.url;
  for (const [, mask] of auth.query) {
    url = url.replaceAll(new URLSearchParams([["", mask]]).toString().slice(1), mask);
  }
  return { ...request, url };
}

function toEgressRequest(request: RenderedHttpRequest): EgressRequest {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    ...(request.credentialHeaders.length === 0
      ? {}
      : { credentialHeaders: request.credentialHeaders }),
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
  };
}

function failure(
  code: HttpRuntimeErrorCode,
  message: string,
  retryable: boolean,
  httpStatus?: number,
  path?: string,
): HttpOperationFailure {
  return {
    ok: false,
    retryable,
    httpStatus,
    error: path === undefined ? { code, message } : { code, message, path },
  };
}

/** The start of a body for a message, secrets cut before it is shortened. */
function quote(body: string, cut: (text: string) => string): string {
  const text = cut(body.slice(0, 16 * QUOTED_BODY_LENGTH))
    .replace(/\s+/g, " ")
    .trim();
  if (text === "") return "an empty body";
  return text.length > QUOTED_BODY_LENGTH ? `${text.slice(0, QUOTED_BODY_LENGTH)}…` : text;
}

function interpret(
  prepared: PreparedOperation,
  request: RenderedHttpRequest,
  response: EgressResponse,
  cut: (text: string) => string,
): HttpOperationResult {
  const { name, method } = prepared.request;
  const body = new TextDecoder().decode(response.body);
  const where = new URL(request.url);
  const statusClass = classifyHttpStatus(response.status);
  if (statusClass !== "ok") {
    return failure(
      "http_status",
      cut(
        `${name}: ${method} ${where.origin}${where.pathname} answered ${response.status}: ${quote(body, cut)}`,
      ),
      statusClass === "retryable",
      response.status,
    );
  }
  const mapped = mapResponse(prepared.response, body);
  if (!mapped.ok) {
    return failure(
      "response_not_json",
      `${name}: ${mapped.message}; it starts with ${quote(body, cut)}`,
      HTTP_RUNTIME_ERRORS.response_not_json.retryable,
      response.status,
    );
  }
  return {
    ok: true,
    httpStatus: response.status,
    fields: cutSecretsFromRecord(mapped.fields, cut),
    providerStatus: mapped.providerStatus === undefined ? undefined : cut(mapped.providerStatus),
    status: mapped.status,
    warnings: mapped.warnings.map((warning) => ({ ...warning, message: cut(warning.message) })),
  };
}

/**
 * Builds the interpreter for a plugin's declarative HTTP runtime. Every template is parsed
 * here, once; a malformed one, an operation URL whose origin is not written out, or a header
 * or query parameter the auth scheme also sets throws an `HttpRuntimeError`.
 *
 * `render` returns the request an operation would send, secrets masked, and sends nothing;
 * a masked render reads no secret, so it works before any secret is set.
 * `perform` sends it through `send` and resolves with a result; it rejects only for an
 * unknown operation or a failure of the host's own services (`secrets`, `send` throwing
 * something other than an `EgressError`).
 *
 * @example
 * const client = createHttpRuntimeClient({ manifest, config, secrets, send });
 * const result = await client.perform("send_fax", { to: "+15550100", documentUrl });
 */
export function createHttpRuntimeClient(options: HttpRuntimeClientOptions): HttpRuntimeClient {
  const { manifest, config, secrets, send } = options;
  const { runtime } = manifest;
  const prepared = new Map<string, PreparedOperation>();
  for (const [name, operation] of Object.entries(runtime.operations)) {
    prepared.set(name, {
      request: compileOperation(name, operation, runtime.auth),
      response: compileResponseMapping(name, operation.response),
    });
  }
  const operations = Object.freeze([...prepared.keys()]);

  const lookUp = (name: string): PreparedOperation => {
    const found = prepared.get(name);
    if (found === undefined) {
      throw new HttpRuntimeError(
        "operation_unknown",
        `operation "${name}" is not defined; this runtime defines ${operations.join(", ")}`,
        { path: "runtime.operations" },
      );
    }
    return found;
  };

  return Object.freeze({
    pluginId: manifest.id,
    operations,
    async render(name, input, renderOptions = {}) {
      const operation = lookUp(name);
      const mask = renderOptions.maskSecrets ?? true;
      const auth = await applyAuth(runtime.auth, name, mask ? "masked" : secrets);
      const request = renderRequest(operation.request, { input, config }, auth);
      return mask ? showMasks(request, auth) : request;
    },
    async perform(name, input, performOptions = {}) {
      const operation = lookUp(name);
      let auth: AppliedAuth;
      let request: RenderedHttpRequest;
      try {
        auth = await applyAuth(runtime.auth, name, secrets);
        request = renderRequest(operation.request, { input, config }, auth);
      } catch (error) {
        if (!(error instanceof HttpRuntimeError)) throw error;
        // Every error found before sending is in the request or the manifest: not retryable.
        return failure(error.code, error.message, false, undefined, error.path);
      }
      const cut = createSecretCutter(auth.cuts);
      let response: EgressResponse;
      try {
        const { signal } = performOptions;
        response = await send(toEgressRequest(request), signal === undefined ? {} : { signal });
      } catch (error) {
        if (!(error instanceof EgressError)) throw error;
        const code = egressFailureCode(error.reason);
        return failure(code, cut(`${name}: ${error.message}`), HTTP_RUNTIME_ERRORS[code].retryable);
      }
      return interpret(operation, request, response, cut);
    },
  } satisfies HttpRuntimeClient);
}
