import type { PluginHttp, PluginHttpRequest, PluginHttpResponse } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { EgressDeniedError, EgressError } from "../egress/egress-errors.js";
import type { EgressRequest } from "../egress/egress-request.js";
import { ContextError } from "./context-errors.js";
import { type ContextScope, callService, requireService } from "./context-scope.js";
import { requireDeclaredSecret } from "./context-secrets.js";
import { copyJson } from "./json-copy.js";
import { knownSecretValues } from "./known-secret-values.js";
import { cachedSecretRedactor, type SecretRedactor } from "./redact-secrets.js";
import { requirePermission } from "./require-permission.js";

const SecretHandleSchema = z.strictObject({
  kind: z.literal("secret_handle"),
  key: z.string(),
  prefix: z
    .string()
    .max(64)
    .regex(/^[\x20-\x7e]*$/, { error: 'expected printable ASCII, such as "Bearer "' })
    .optional(),
});

/** `PluginHttpRequest` as a schema: what `http.request` accepts from plugin code. */
const HttpRequestSchema = z.strictObject({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional(),
  url: z.string().min(1).max(8_192),
  headers: z.record(z.string(), z.string()).optional(),
  secretHeaders: z.record(z.string(), SecretHandleSchema).optional(),
  body: z.union([z.string(), z.json()]).optional(),
  timeoutMs: z.int().min(1).max(600_000).optional(),
});

/** Throws the `invalid_argument` error `http.request` would, unless `value` is a request. */
export function assertHttpRequest(value: unknown): asserts value is PluginHttpRequest {
  parseRequest(value);
}

function parseRequest(value: unknown) {
  let parsed: ReturnType<typeof HttpRequestSchema.safeParse>;
  try {
    parsed = HttpRequestSchema.safeParse(value);
  } catch {
    throw new ContextError("invalid_argument", "http.request: the request could not be read");
  }
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? "" : `${issue.path.join(".")}: `;
  throw new ContextError(
    "invalid_argument",
    `http.request: ${path}${issue?.message ?? "expected { url, method?, headers?, secretHeaders?, body?, timeoutMs? }"}`,
  );
}

/** The permission a URL needs: its host as the URL parser writes it, and its port if given. */
function outboundPermission(url: string): string {
  if (!URL.canParse(url)) {
    throw new ContextError("invalid_argument", `http.request: "${url.slice(0, 200)}" is not a URL`);
  }
  const parsed = new URL(url);
  const host = parsed.hostname.endsWith(".") ? parsed.hostname.slice(0, -1) : parsed.hostname;
  return `network:outbound:${host}${parsed.port === "" ? "" : `:${parsed.port}`}`;
}

// A guard's message can quote what the far end sent (a redirect's target), so it is
// redacted like a response.
function describeEgressFailure(error: EgressError, redactor: SecretRedactor): ContextError {
  const code = error instanceof EgressDeniedError ? "egress_denied" : "egress_failed";
  return new ContextError(code, `http.request: ${redactor.text(error.message)} (${error.reason})`, {
    cause: error,
  });
}

/** The `http.request` of contexts built here, which also takes a signal that cancels it. */
const cancellableRequests = new WeakMap<
  PluginHttp,
  (value: unknown, signal?: AbortSignal) => Promise<PluginHttpResponse>
>();

/**
 * Sends `request` through `http`, cancelled when `signal` aborts if `http` came from
 * `createPluginContext` (a host's own `PluginHttp` is called without the signal). The
 * sandbox uses it to stop the outbound requests of calls it stopped.
 */
export function sendPluginHttpRequest(
  http: PluginHttp,
  request: PluginHttpRequest,
  signal: AbortSignal,
): Promise<PluginHttpResponse> {
  const cancellable = cancellableRequests.get(http);
  return cancellable === undefined ? http.request(request) : cancellable(request, signal);
}

/**
 * HTTP through the host's egress guard, to hosts granted by `network:outbound:<host>`. The
 * broker checks the grant first (to name the missing permission); the guard decides. Secret
 * handles in `secretHeaders` are replaced by their values here (after the handle's `prefix`,
 * such as `"Bearer "`), and every secret value this context has injected or the host knows
 * (`knownSecretValues`) is cut out of the response (status line aside) and of the guard's
 * error messages before plugin code sees them, in case the far end echoes one, whether as is
 * or encoded (see `createSecretRedactor`).
 */
export function createContextHttp(scope: ContextScope): PluginHttp {
  const { grants, limits, services } = scope;
  const redactorFor = cachedSecretRedactor();
  const http = Object.freeze({
    async request(value: unknown, signal?: AbortSignal): Promise<PluginHttpResponse> {
      const operation = "http.request";
      const request = parseRequest(value);
      requirePermission(grants, outboundPermission(request.url), operation);
      // A Map, so no header name (not even "__proto__") can reach an object's prototype.
      const headers = new Map<string, string>();
      for (const [name, text] of Object.entries(request.headers ?? {})) {
        headers.set(name.toLowerCase(), text);
      }
      const secretHeaders = Object.entries(request.secretHeaders ?? {});
      const credentialHeaders: string[] = [];
      if (secretHeaders.length > 0) {
        const store = requireService(services.secrets, operation, "secret store");
        for (const [name, handle] of secretHeaders) {
          const key = requireDeclaredSecret(scope, handle.key);
          const lower = name.toLowerCase();
          if (headers.has(lower)) {
            throw new ContextError(
              "invalid_argument",
              `${operation}: header "${name}" is given both as a header and as a secret header`,
            );
          }
          const secret = await callService(operation, () => store.resolve(grants.pluginId, key));
          if (secret === undefined) {
            throw new ContextError("unavailable", `${operation}: secret "${key}" has no value set`);
          }
          headers.set(lower, `${handle.prefix ?? ""}${secret}`);
          credentialHeaders.push(lower);
          scope.injectedSecrets.add(secret);
        }
      }
      let body: string | undefined;
      if (typeof request.body === "string") body = request.body;
      else if (request.body !== undefined) {
        body = JSON.stringify(
          copyJson(request.body, limits.maxRequestBodyLength, `${operation}: body`),
        );
        if (!headers.has("content-type")) headers.set("content-type", "application/json");
      }
      if (body !== undefined && body.length > limits.maxRequestBodyLength) {
        throw new ContextError(
          "limit_exceeded",
          `${operation}: the body is ${body.length} characters; the limit is ${limits.maxRequestBodyLength}`,
        );
      }
      const egress = requireService(services.egress, operation, "outbound HTTP");
      const outbound: EgressRequest = {
        method: request.method ?? "GET",
        url: request.url,
        headers: Object.fromEntries(headers),
        ...(credentialHeaders.length === 0 ? {} : { credentialHeaders }),
        ...(body === undefined ? {} : { body }),
        ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
      };
      // Read after the exchange, so a secret the operator set meanwhile is cut out too.
      const currentRedactor = async () => {
        const known = knownSecretValues(services);
        const values = known.ready
          ? known.values
          : await callService(operation, async () => await known.values);
        return redactorFor([...scope.injectedSecrets, ...values]);
      };
      let response: Awaited<ReturnType<typeof egress>>;
      try {
        response = await egress(outbound, signal === undefined ? {} : { signal });
      } catch (error) {
        if (error instanceof EgressError) {
          throw describeEgressFailure(error, await currentRedactor());
        }
        throw new ContextError("host_failed", `${operation} failed in the host`, { cause: error });
      }
      const redactor = await currentRedactor();
      const text = redactor.text(new TextDecoder().decode(response.body));
      const responseHeaders = Object.fromEntries(
        Object.entries(response.headers).map(([name, headerValue]) => [
          redactor.text(name),
          redactor.text(headerValue),
        ]),
      );
      return Object.freeze({
        status: response.status,
        headers: Object.freeze(responseHeaders),
        body: text,
        json: () => JSON.parse(text),
      });
    },
  });
  cancellableRequests.set(http, http.request);
  return http;
}
