import type { ServerResponse } from "node:http";
import { expect } from "vitest";
import { EgressError, type EgressErrorReason } from "../egress-errors.js";
import { createEgressPolicy, type EgressHostPolicy, type EgressPolicy } from "../egress-policy.js";
import type { EgressRequest } from "../egress-request.js";
import { type SendEgressOptions, sendEgressRequest } from "../send-egress-request.js";
import { type LocalServer, type SeenRequest, startLocalServer } from "./local-server.js";
import { stubLookup } from "./stub-lookup.js";

/** The response size cap of the test policy, in bytes. */
export const CAP = 1024;

/** The paths the test server answers; anything else is a 404. */
export function respond(request: SeenRequest, response: ServerResponse): void {
  const url = new URL(request.url, "http://server");
  switch (url.pathname) {
    case "/echo":
      response.writeHead(200, { "content-type": "application/json", "x-reply": ["a", "b"] });
      response.end(
        JSON.stringify({ method: request.method, url: request.url, body: request.body }),
      );
      return;
    case "/redirect":
      response.writeHead(Number(url.searchParams.get("status") ?? 302), {
        location: url.searchParams.get("to") ?? "/echo",
      });
      response.end();
      return;
    case "/no-location":
      response.writeHead(302);
      response.end();
      return;
    case "/declared-large":
      response.writeHead(200, { "content-length": String(CAP + 1) });
      response.end("x".repeat(CAP + 1));
      return;
    case "/streamed-large": {
      response.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => response.write("x".repeat(256)), 5);
      response.on("close", () => clearInterval(timer));
      return;
    }
    case "/exactly-cap":
      response.writeHead(200);
      response.end("x".repeat(CAP));
      return;
    case "/hang":
      return;
    case "/drip": {
      response.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => response.write("."), 20);
      response.on("close", () => clearInterval(timer));
      return;
    }
    default:
      response.writeHead(404);
      response.end();
  }
}

/** The `EgressError` that `run` fails with. */
export async function egressFailure(run: () => Promise<unknown>): Promise<EgressError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof EgressError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

/**
 * A plain-http test server on 127.0.0.1 behind four granted names: `api.test` and
 * `other.test` (loopback test hosts), `internal.test` (resolving to 10.0.0.7) and
 * `loop.test` (resolving to 127.0.0.1 but not a loopback test host).
 */
export async function startEgressTestServer() {
  const api: LocalServer = await startLocalServer(respond);
  const base = `http://api.test:${api.port}`;
  const lookup = stubLookup({
    "api.test": [["127.0.0.1"]],
    "other.test": [["127.0.0.1"]],
    "internal.test": [["10.0.0.7"]],
    "loop.test": [["127.0.0.1"]],
  });
  const testPolicy = (extra: Partial<EgressHostPolicy> = {}): EgressPolicy => {
    const hosts = ["api.test", "other.test", "internal.test", "loop.test"];
    return createEgressPolicy(
      hosts.map((host) => ({ host, port: api.port })),
      {
        plainHttpHosts: hosts,
        loopbackHosts: ["api.test", "other.test"],
        maxResponseBytes: CAP,
        ...extra,
      },
    );
  };
  const policy = testPolicy();
  const send = (
    request: EgressRequest,
    using: EgressPolicy = policy,
    options: SendEgressOptions = {},
  ) => sendEgressRequest(request, using, { lookup, ...options });
  const expectFailure = async (
    request: EgressRequest,
    reason: EgressErrorReason,
    host: string,
    using: EgressPolicy = policy,
    options: SendEgressOptions = {},
  ): Promise<EgressError> => {
    const error = await egressFailure(() => send(request, using, options));
    expect({ reason: error.reason, host: error.host }).toStrictEqual({ reason, host });
    return error;
  };
  return { api, base, lookup, policy, testPolicy, send, expectFailure };
}

export type EgressTestServer = Awaited<ReturnType<typeof startEgressTestServer>>;
