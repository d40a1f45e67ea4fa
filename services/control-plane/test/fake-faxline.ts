import { randomInt } from "node:crypto";
import { writeFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import {
  type LocalServer,
  type SeenRequest,
  startLocalServer,
} from "../../../packages/runtime/src/egress/testing/local-server.js";
import { selfSignedCertificate } from "../../../packages/runtime/src/egress/testing/self-signed-certificate.js";

export const FAXLINE_HOST = "api.faxline.example";

/** The statuses a fax goes through on each status request, the last one repeating. */
const DEFAULT_STATUSES = ["sending", "delivered"] as const;

/**
 * A loopback address of its own for one fake server (127.0.0.0/8 is all loopback on Linux):
 * the fake listens on port 443, and test files run at the same time, here and elsewhere.
 */
export function randomLoopbackAddress(): string {
  return `127.${randomInt(100, 250)}.${randomInt(1, 250)}.${randomInt(1, 250)}`;
}

/** A status answer held back until the test releases it. */
export interface HeldAnswer {
  /** Resolves when the held request has arrived. */
  readonly arrived: Promise<void>;
  release(): void;
}

/**
 * A local stand-in for the Faxline API, speaking what the first-party manifest describes:
 * `POST /v1/faxes` (Bearer token, JSON body) answers 201 with `{ id, status: "queued" }`;
 * `GET /v1/faxes/{id}` walks each fax through its statuses (`sending`, then `delivered`
 * unless `scriptStatuses` says otherwise). HTTPS on port 443 of its own loopback address,
 * with a self-signed certificate for api.faxline.example.
 */
export interface FakeFaxline {
  readonly address: string;
  readonly seen: readonly SeenRequest[];
  /** The PEM file of the certificate, for PLUGBOARD_EGRESS_CA_FILE. */
  readonly caFile: string;
  /** The settings that point the control plane's egress guard at this server. */
  readonly env: Readonly<Record<string, string>>;
  /** The statuses of faxes sent from now on, one per status request, the last repeating. */
  scriptStatuses(statuses: readonly [string, ...string[]]): void;
  /** Holds the answer to the next status request (worked out on arrival) until released. */
  holdNextStatus(): HeldAnswer;
  close(): Promise<void>;
}

export async function startFakeFaxline(options: {
  readonly address?: string;
  readonly token: string;
  readonly dir: string;
}): Promise<FakeFaxline> {
  const address = options.address ?? randomLoopbackAddress();
  const certificate = selfSignedCertificate([FAXLINE_HOST]);
  const caFile = join(options.dir, `faxline-ca-${address}.pem`);
  writeFileSync(caFile, certificate.cert);
  const faxes = new Map<string, { polls: number; statuses: readonly string[] }>();
  let statuses: readonly string[] = DEFAULT_STATUSES;
  let hold: { arrive: () => void; released: Promise<void> } | undefined;
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const server: LocalServer = await startLocalServer(
    (request, response) => {
      if (request.headers.authorization !== `Bearer ${options.token}`) {
        return json(response, 401, { error: "invalid token" });
      }
      if (request.method === "POST" && request.url === "/v1/faxes") {
        const id = `fax_${faxes.size + 1}`;
        faxes.set(id, { polls: 0, statuses });
        return json(response, 201, { id, status: "queued" });
      }
      const match = /^\/v1\/faxes\/([^/?]+)$/.exec(request.url);
      const id = match?.[1];
      const fax = id === undefined ? undefined : faxes.get(id);
      if (request.method === "GET" && fax !== undefined) {
        fax.polls += 1;
        const status = fax.statuses[Math.min(fax.polls, fax.statuses.length) - 1];
        const held = hold;
        hold = undefined;
        if (held === undefined) return json(response, 200, { id, status });
        held.arrive();
        void held.released.then(() => json(response, 200, { id, status }));
        return;
      }
      return json(response, 404, { error: "not found" });
    },
    { address, port: 443, certificate },
  );
  return {
    address,
    seen: server.seen,
    caFile,
    env: {
      PLUGBOARD_EGRESS_HOSTS: `${FAXLINE_HOST}=${address}`,
      PLUGBOARD_EGRESS_LOOPBACK_HOSTS: FAXLINE_HOST,
      PLUGBOARD_EGRESS_CA_FILE: caFile,
    },
    scriptStatuses(next) {
      statuses = [...next];
    },
    holdNextStatus() {
      let arrive = () => {};
      let release = () => {};
      const arrived = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      hold = { arrive, released };
      return { arrived, release };
    },
    close: () => server.close(),
  };
}
