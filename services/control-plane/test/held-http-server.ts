import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The name plugins call the held server by; the control plane resolves it to 127.0.0.1. */
export const HELD_HOST = "held.acme.test";

/**
 * A plain HTTP server on 127.0.0.1 that plugin code calls through the egress guard, to make
 * a call or a probe take as long as a test needs: `GET /wait` is answered when the test calls
 * `release()`, `GET /delay/<ms>` after that many milliseconds. Every answer is `{"ok":true}`.
 */
export interface HeldHttpServer {
  /** `http://held.acme.test:<port>`, for plugin code. */
  readonly url: string;
  /** The permission a plugin needs to call it. */
  readonly permission: string;
  /** The egress settings that let plugins reach it. */
  readonly env: Readonly<Record<string, string>>;
  /** Requests to `/wait` not answered yet. */
  waiting(): number;
  /** Answers every request waiting on `/wait`. */
  release(): void;
  close(): Promise<void>;
}

export async function startHeldHttpServer(): Promise<HeldHttpServer> {
  const held: ServerResponse[] = [];
  const answer = (response: ServerResponse) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"ok":true}');
  };
  const server = createServer((request, response) => {
    const delay = /^\/delay\/(\d+)$/.exec(request.url ?? "");
    if (delay !== null) {
      setTimeout(() => answer(response), Number(delay[1]));
    } else if (request.url === "/wait") {
      held.push(response);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HELD_HOST}:${port}`,
    permission: `network:outbound:${HELD_HOST}:${port}`,
    env: {
      PLUGBOARD_EGRESS_HOSTS: `${HELD_HOST}=127.0.0.1`,
      PLUGBOARD_EGRESS_LOOPBACK_HOSTS: HELD_HOST,
      PLUGBOARD_EGRESS_PLAIN_HTTP_HOSTS: HELD_HOST,
    },
    waiting: () => held.length,
    release() {
      for (const response of held.splice(0)) answer(response);
    },
    async close() {
      for (const response of held.splice(0)) answer(response);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
