import type { AddressInfo } from "node:net";
import { createServer, type Socket } from "node:net";

/**
 * An SMTP server on 127.0.0.1 that greets at once, accepts any login (AUTH PLAIN) and any
 * message, and only counts what it accepts, so it costs as little as an SMTP server can.
 * Not the smtp-server package the tests use: that one waits 100 ms before its greeting to
 * catch clients that talk too early, which would cap every sender at one message per 100 ms
 * per connection and hide what the control plane costs.
 */
export interface SmtpSink {
  readonly port: number;
  /** Resolves with when the first and the `count`-th message since `reset` were accepted. */
  waitFor(count: number, timeoutMs: number): Promise<{ first: number; last: number }>;
  reset(): void;
  close(): Promise<void>;
}

const REPLIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(EHLO|LHLO)/, "250-sink.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"],
  [/^HELO/, "250 sink.test\r\n"],
  [/^AUTH /, "235 2.7.0 accepted\r\n"],
  [/^DATA/, "354 go ahead\r\n"],
  [/^QUIT/, "221 bye\r\n"],
];

export async function startSmtpSink(): Promise<SmtpSink> {
  let accepted = 0;
  let first = 0;
  let last = 0;
  let waiter: (() => void) | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.setNoDelay(true);
    let buffer = "";
    let inData = false;
    socket.write("220 sink.test ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end === -1) return;
          buffer = buffer.slice(end + 5);
          inData = false;
          accepted += 1;
          last = performance.now();
          if (accepted === 1) first = last;
          socket.write(`250 2.0.0 queued as ${accepted}\r\n`);
          waiter?.();
          continue;
        }
        const lineEnd = buffer.indexOf("\r\n");
        if (lineEnd === -1) return;
        const line = buffer.slice(0, lineEnd).toUpperCase();
        buffer = buffer.slice(lineEnd + 2);
        const reply = REPLIES.find(([pattern]) => pattern.test(line))?.[1] ?? "250 ok\r\n";
        if (line.startsWith("DATA")) inData = true;
        socket.write(reply);
        if (line.startsWith("QUIT")) socket.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    waitFor(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error(`the SMTP sink accepted ${accepted} of ${count} messages in time`));
        }, timeoutMs);
        waiter = () => {
          if (accepted < count) return;
          clearTimeout(timer);
          waiter = undefined;
          resolve({ first, last });
        };
        waiter();
      });
    },
    reset() {
      accepted = 0;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
