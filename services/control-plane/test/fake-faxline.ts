import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type LocalServer,
  type SeenRequest,
  startLocalServer,
} from "../../../packages/runtime/src/egress/testing/local-server.js";
import { selfSignedCertificate } from "../../../packages/runtime/src/egress/testing/self-signed-certificate.js";

export const FAXLINE_HOST = "api.faxline.example";

/**
 * A local stand-in for the Faxline API, speaking what the first-party manifest describes:
 * `POST /v1/faxes` (Bearer token, JSON body) answers 201 with `{ id, status: "queued" }`;
 * `GET /v1/faxes/{id}` walks each fax through `sending` to `delivered`. HTTPS on port 443 of
 * its own loopback address, with a self-signed certificate for api.faxline.example.
 */
export interface FakeFaxline {
  readonly address: string;
  readonly seen: readonly SeenRequest[];
  /** The PEM file of the certificate, for PLUGBOARD_EGRESS_CA_FILE. */
  readonly caFile: string;
  /** The settings that point the control plane's egress guard at this server. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startFakeFaxline(options: {
  readonly address: string;
  readonly token: string;
  readonly dir: string;
}): Promise<FakeFaxline> {
  const certificate = selfSignedCertificate([FAXLINE_HOST]);
  const caFile = join(options.dir, "faxline-ca.pem");
  writeFileSync(caFile, certificate.cert);
  const faxes = new Map<string, { polls: number }>();
  const server: LocalServer = await startLocalServer(
    (request, response) => {
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (request.headers.authorization !== `Bearer ${options.token}`) {
        return json(401, { error: "invalid token" });
      }
      if (request.method === "POST" && request.url === "/v1/faxes") {
        const id = `fax_${faxes.size + 1}`;
        faxes.set(id, { polls: 0 });
        return json(201, { id, status: "queued" });
      }
      const match = /^\/v1\/faxes\/([^/?]+)$/.exec(request.url);
      const fax = match?.[1] === undefined ? undefined : faxes.get(match[1]);
      if (request.method === "GET" && fax !== undefined) {
        fax.polls += 1;
        return json(200, { id: match?.[1], status: fax.polls === 1 ? "sending" : "delivered" });
      }
      return json(404, { error: "not found" });
    },
    { address: options.address, port: 443, certificate },
  );
  return {
    address: options.address,
    seen: server.seen,
    caFile,
    env: {
      PLUGBOARD_EGRESS_HOSTS: `${FAXLINE_HOST}=${options.address}`,
      PLUGBOARD_EGRESS_LOOPBACK_HOSTS: FAXLINE_HOST,
      PLUGBOARD_EGRESS_CA_FILE: caFile,
    },
    close: () => server.close(),
  };
}
