import http, { type ClientRequest, type IncomingMessage } from "node:http";
import https from "node:https";
import { rootCertificates } from "node:tls";
import type { EgressTarget } from "./check-egress-target.js";
import { type EgressError, egressError } from "./egress-errors.js";
import type { EgressPolicy } from "./egress-policy.js";
import type { HopRequest } from "./egress-request.js";

/** A response whose headers have arrived; its body is still to be read or dropped. */
export interface OpenResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly message: IncomingMessage;
  readonly request: ClientRequest;
}

function flattenHeaders(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function hostHeader(target: EgressTarget): string {
  const defaultPort = target.url.protocol === "https:" ? 443 : 80;
  return target.port === defaultPort ? target.host : `${target.host}:${target.port}`;
}

function connectionFailed(target: EgressTarget, error: unknown): EgressError {
  const code = error instanceof Error && "code" in error ? String(error.code) : "unknown";
  const message = error instanceof Error ? error.message : String(error);
  return egressError(
    "connection_failed",
    target.host,
    `the connection to ${target.host} (${target.address}:${target.port}) failed: ${code} ${message}`,
    target.address,
  );
}

/**
 * Sends one request to exactly the checked address: the socket connects to
 * `target.address`, never to a fresh DNS answer, while TLS (SNI and certificate check) and
 * the Host header use the host name. A new connection each time (`agent: false`), so no
 * pooled socket to another address is reused. Resolves when the response headers arrive;
 * `abortError` is thrown when `signal` aborts first.
 */
export function openPinnedExchange(
  target: EgressTarget,
  hop: HopRequest,
  policy: EgressPolicy,
  signal: AbortSignal,
  abortError: () => EgressError,
): Promise<OpenResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...hop.headers, host: hostHeader(target) };
    if (hop.body !== undefined) headers["content-length"] = String(Buffer.byteLength(hop.body));
    const common = {
      host: target.address,
      family: target.family,
      port: target.port,
      method: hop.method,
      path: `${target.url.pathname}${target.url.search}`,
      headers,
      agent: false,
    } as const;
    const request =
      target.url.protocol === "https:"
        ? https.request({
            ...common,
            // SNI may not be an IP address; a literal address is checked against the
            // certificate's IP entries instead.
            ...(target.literal ? {} : { servername: target.host }),
            ...(policy.trustedCertificates.length > 0
              ? { ca: [...rootCertificates, ...policy.trustedCertificates] }
              : {}),
            rejectUnauthorized: true,
          })
        : http.request(common);
    const onAbort = () => request.destroy(abortError());
    signal.addEventListener("abort", onAbort, { once: true });
    request.on("close", () => signal.removeEventListener("abort", onAbort));
    request.on("error", (error) => {
      reject(signal.aborted ? abortError() : connectionFailed(target, error));
    });
    request.on("response", (message) => {
      resolve({
        status: message.statusCode ?? 0,
        headers: flattenHeaders(message),
        message,
        request,
      });
    });
    if (signal.aborted) onAbort();
    else request.end(hop.body);
  });
}

/**
 * Reads a response body up to `maxBytes`, destroying the connection as soon as the
 * declared `content-length` or the bytes received pass it.
 */
export function readCappedBody(
  target: EgressTarget,
  response: OpenResponse,
  maxBytes: number,
  signal: AbortSignal,
  abortError: () => EgressError,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      response.request.destroy();
      reject(
        egressError(
          "response_too_large",
          target.host,
          `the response from ${target.host} is larger than ${maxBytes} bytes`,
          target.address,
        ),
      );
    };
    const declared = Number(response.headers["content-length"] ?? Number.NaN);
    if (declared > maxBytes) {
      tooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const { message } = response;
    message.on("data", (chunk: Buffer) => {
      received += chunk.byteLength;
      if (received > maxBytes) tooLarge();
      else chunks.push(chunk);
    });
    message.on("end", () => resolve(Buffer.concat(chunks)));
    message.on("error", (error) => {
      reject(signal.aborted ? abortError() : connectionFailed(target, error));
    });
    message.on("close", () => {
      if (!message.complete) {
        const error = new Error("the response ended early");
        reject(signal.aborted ? abortError() : connectionFailed(target, error));
      }
    });
  });
}
