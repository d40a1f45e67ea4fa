import type { AddressInfo } from "node:net";
import { createServer, type Socket } from "node:net";
import { SMTP_HOST } from "./local-smtp-server.js";

/**
 * An SMTP server that takes a whole message and then drops the connection without replying
 * to it, as a relay that crashes after queueing the message would. The sender cannot tell
 * whether the message was accepted. Counts the messages it read to the end.
 */
export interface DroppingSmtpServer {
  readonly host: string;
  readonly port: number;
  readonly messagesRead: () => number;
  close(): Promise<void>;
}

export async function startDroppingSmtpServer(): Promise<DroppingSmtpServer> {
  let messagesRead = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = "";
    let inData = false;
    socket.write("220 dropping.test ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end === -1) return;
          messagesRead += 1;
          socket.destroy();
          return;
        }
        const lineEnd = buffer.indexOf("\r\n");
        if (lineEnd === -1) return;
        const line = buffer.slice(0, lineEnd).toUpperCase();
        buffer = buffer.slice(lineEnd + 2);
        if (line.startsWith("EHLO") || line.startsWith("HELO"))
          socket.write("250 dropping.test\r\n");
        else if (line.startsWith("DATA")) {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (line.startsWith("QUIT")) socket.end("221 bye\r\n");
        else socket.write("250 ok\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, SMTP_HOST, resolve));
  return {
    host: SMTP_HOST,
    port: (server.address() as AddressInfo).port,
    messagesRead: () => messagesRead,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
