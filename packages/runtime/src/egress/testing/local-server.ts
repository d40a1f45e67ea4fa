import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { TLSSocket } from "node:tls";
import type { TestCertificate } from "./self-signed-certificate.js";

/** What a test server saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  /** The TLS server name the client sent, for an https server. */
  readonly servername: string | undefined;
}

export interface LocalServer {
  readonly port: number;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

type Handler = (request: SeenRequest, response: ServerResponse) => void;

/** Starts an HTTP server (HTTPS with `certificate`) on a loopback address. */
export async function startLocalServer(
  handler: Handler,
  options: { address?: string; port?: number; certificate?: TestCertificate } = {},
): Promise<LocalServer> {
  const seen: SeenRequest[] = [];
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const { socket } = request;
      const entry: SeenRequest = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
        servername:
          socket instanceof TLSSocket && typeof socket.servername === "string"
            ? socket.servername
            : undefined,
      };
      seen.push(entry);
      handler(entry, response);
    });
  };
  const server =
    options.certificate === undefined
      ? http.createServer(listener)
      : https.createServer(options.certificate, listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.address ?? "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no port");
  return {
    port: address.port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
