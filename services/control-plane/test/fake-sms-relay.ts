import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type LocalServer,
  type SeenRequest,
  startLocalServer,
} from "../../../packages/runtime/src/egress/testing/local-server.js";
import { selfSignedCertificate } from "../../../packages/runtime/src/egress/testing/self-signed-certificate.js";

export const SMS_RELAY_HOST = "api.smsrelay.example";

/** A recipient SMS Relay accepts messages for but never delivers to. */
export const UNDELIVERABLE_NUMBER = "+15550000000";

/**
 * A local stand-in for the SMS Relay API the example channel (`examples/sms-relay-channel`)
 * talks to. `POST /v1/messages` (JSON `{ from, to, text }`) answers 201 with
 * `{ id, status: "accepted" }`; `GET /v1/messages/{id}` reports `sending` twice, then
 * `delivered` (or `undelivered` for UNDELIVERABLE_NUMBER). The API token comes as
 * `authorization: Bearer <token>`. HTTPS on port 443 of its own loopback address, with a
 * self-signed certificate for api.smsrelay.example.
 */
export interface FakeSmsRelay {
  readonly seen: readonly SeenRequest[];
  /** The settings that point the control plane's egress guard at this server. */
  readonly env: Readonly<Record<string, string>>;
  /** Answers the next request with `status` and `{ error }`, whatever it asks. */
  failNext(status: number, error: string): void;
  close(): Promise<void>;
}

interface Message {
  readonly to: string;
  polls: number;
}

function statusAfter(message: Message): string {
  if (message.to === UNDELIVERABLE_NUMBER) return "undelivered";
  return message.polls <= 2 ? "sending" : "delivered";
}

function isSend(body: unknown): body is { from: string; to: string; text: string } {
  return (
    typeof body === "object" &&
    body !== null &&
    "from" in body &&
    "to" in body &&
    "text" in body &&
    typeof body.from === "string" &&
    typeof body.to === "string" &&
    typeof body.text === "string"
  );
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function startFakeSmsRelay(options: {
  readonly address: string;
  readonly token: string;
  readonly dir: string;
}): Promise<FakeSmsRelay> {
  const certificate = selfSignedCertificate([SMS_RELAY_HOST]);
  const caFile = join(options.dir, "sms-relay-ca.pem");
  writeFileSync(caFile, certificate.cert);
  const messages = new Map<string, Message>();
  const failures: { status: number; error: string }[] = [];
  const server: LocalServer = await startLocalServer(
    (request, response) => {
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      const failure = failures.shift();
      if (failure !== undefined) return json(failure.status, { error: failure.error });
      if (request.headers.authorization !== `Bearer ${options.token}`) {
        return json(401, { error: "invalid token" });
      }
      if (request.method === "POST" && request.url === "/v1/messages") {
        const body = parsed(request.body);
        if (!isSend(body)) return json(422, { error: "expected { from, to, text }" });
        const id = `msg_${messages.size + 1}`;
        messages.set(id, { to: body.to, polls: 0 });
        return json(201, { id, status: "accepted" });
      }
      const match = /^\/v1\/messages\/([^/?]+)$/.exec(request.url);
      const id = match?.[1];
      const message = id === undefined ? undefined : messages.get(id);
      if (request.method === "GET" && message !== undefined) {
        message.polls += 1;
        return json(200, { id, status: statusAfter(message) });
      }
      return json(404, { error: "not found" });
    },
    { address: options.address, port: 443, certificate },
  );
  return {
    seen: server.seen,
    env: {
      PLUGBOARD_EGRESS_HOSTS: `${SMS_RELAY_HOST}=${options.address}`,
      PLUGBOARD_EGRESS_LOOPBACK_HOSTS: SMS_RELAY_HOST,
      PLUGBOARD_EGRESS_CA_FILE: caFile,
    },
    failNext: (status, error) => {
      failures.push({ status, error });
    },
    close: () => server.close(),
  };
}
