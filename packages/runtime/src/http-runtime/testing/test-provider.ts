import type { ServerResponse } from "node:http";
import {
  createEgressPolicy,
  type EgressHostPolicy,
  egressGrantsFromPermissions,
} from "../../egress/egress-policy.js";
import { sendEgressRequest } from "../../egress/send-egress-request.js";
import {
  type LocalServer,
  type SeenRequest,
  startLocalServer,
} from "../../egress/testing/local-server.js";
import { selfSignedCertificate } from "../../egress/testing/self-signed-certificate.js";
import { type StubLookup, stubLookup } from "../../egress/testing/stub-lookup.js";
import type { HttpRuntimeSender } from "../http-runtime-client.js";

/** A provider's API as a local HTTPS server, with the resolver and egress a host would use. */
export interface TestProvider {
  readonly server: LocalServer;
  readonly port: number;
  readonly seen: SeenRequest[];
  readonly lookup: StubLookup;
  /**
   * A sender through the real egress guard, with the grants of `permissions` and a host
   * policy that lets the provider's hosts resolve to 127.0.0.1 and trusts its certificate.
   */
  sender(permissions: readonly string[], hostPolicy?: EgressHostPolicy): HttpRuntimeSender;
  close(): Promise<void>;
}

/** Answers a request with a status and a JSON (or, for a string, text) body. */
export function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const type = typeof body === "string" ? "text/plain" : "application/json";
  response.writeHead(status, { "content-type": type });
  response.end(text);
}

/**
 * Starts an HTTPS server on 127.0.0.1 with a certificate for `hosts`, and a resolver that
 * answers each of them with 127.0.0.1; `otherAnswers` adds names such as one that resolves
 * to a private address.
 */
export async function startTestProvider(
  hosts: readonly string[],
  handler: (request: SeenRequest, response: ServerResponse) => void,
  otherAnswers: Readonly<Record<string, readonly (readonly string[])[]>> = {},
): Promise<TestProvider> {
  const certificate = selfSignedCertificate(hosts);
  const server = await startLocalServer(handler, { certificate });
  const lookup = stubLookup({
    ...Object.fromEntries(hosts.map((host) => [host, [["127.0.0.1"]]])),
    ...otherAnswers,
  });
  return {
    server,
    port: server.port,
    seen: server.seen,
    lookup,
    sender(permissions, hostPolicy = {}) {
      const policy = createEgressPolicy(egressGrantsFromPermissions(permissions), {
        loopbackHosts: [...hosts],
        trustedCertificates: [certificate.cert],
        ...hostPolicy,
      });
      return (request, { signal }) =>
        sendEgressRequest(request, policy, signal === undefined ? { lookup } : { lookup, signal });
    },
    close: () => server.close(),
  };
}
