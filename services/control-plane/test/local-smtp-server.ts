import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A message the server accepted, with the envelope it came in and the login it used. */
export interface ReceivedMessage {
  readonly from: string;
  readonly recipients: readonly string[];
  readonly user: string | undefined;
  readonly mail: ParsedMail;
}

/** A reply the server gives at the end of DATA instead of accepting a message. */
export interface RefusalReply {
  readonly code: number;
  readonly message: string;
}

/**
 * The loopback address the SMTP server listens on, beside the control plane. The relay host
 * is stored as a secret, but an IP address is not checked for in the log (see
 * `log-capture.ts`): the log names 127.0.0.1 as the server's own address and every client's.
 */
export const SMTP_HOST = "127.0.0.1";

/**
 * Where a stalled connection stops answering: before its greeting (the client has connected and
 * waits for `220`), or after reading a whole message (the client waits for the final `250`).
 */
export type SmtpStall = "greeting" | "final_reply";

/**
 * A real SMTP server on a loopback address that keeps every message it accepts. It offers
 * AUTH without TLS (loopback only) and accepts any login; `refuseNext` makes it answer the
 * next messages with an SMTP error instead, and `stallNext` makes the next connection stop
 * answering.
 */
export interface LocalSmtpServer {
  readonly host: string;
  readonly port: number;
  readonly received: readonly ReceivedMessage[];
  /** Messages read to the end by a connection stalled at `final_reply`, never answered. */
  readonly withheld: readonly ReceivedMessage[];
  /** Answers the next `count` messages with `reply` (after reading them) instead of 250. */
  refuseNext(count: number, reply: RefusalReply): void;
  /**
   * Makes the next connection stop answering at `at`, for good; later connections are served as
   * usual. Resolves once a connection has reached that point.
   */
  stallNext(at: SmtpStall): Promise<void>;
  /** Resolves once `count` messages have been accepted; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly ReceivedMessage[]>;
  close(): Promise<void>;
}

export async function startLocalSmtpServer(port = 0): Promise<LocalSmtpServer> {
  const received: ReceivedMessage[] = [];
  const withheld: ReceivedMessage[] = [];
  const refusals: RefusalReply[] = [];
  const waiters = new Set<() => void>();
  let stall: { readonly at: SmtpStall; readonly reached: () => void } | undefined;
  /** Takes the armed stall when it is for `at`: this connection stops answering there. */
  const stallsAt = (at: SmtpStall) => {
    if (stall?.at !== at) return undefined;
    const { reached } = stall;
    stall = undefined;
    return reached;
  };
  const server = new SMTPServer({
    logger: false,
    closeTimeout: 1_000,
    // No reverse DNS lookup of the client: it would query the DNS server about a loopback address.
    disableReverseLookup: true,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    onConnect(_session, callback) {
      const reached = stallsAt("greeting");
      // Never calling back withholds the 220 greeting.
      if (reached === undefined) callback();
      else reached();
    },
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const reached = stallsAt("final_reply");
        if (reached !== undefined) {
          // The message is read to its end; never calling back withholds the final reply.
          void simpleParser(Buffer.concat(chunks)).then((mail) => {
            withheld.push({
              from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
              recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
              user: typeof session.user === "string" ? session.user : undefined,
              mail,
            });
            reached();
          });
          return;
        }
        const refusal = refusals.shift();
        if (refusal !== undefined) {
          callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          return;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            received.push({
              from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
              recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
              user: typeof session.user === "string" ? session.user : undefined,
              mail,
            });
            for (const wake of waiters) wake();
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, SMTP_HOST, resolve));
  const address = server.server.address() as AddressInfo;
  return {
    host: SMTP_HOST,
    port: address.port,
    received,
    withheld,
    refuseNext(count, reply) {
      for (let index = 0; index < count; index++) refusals.push(reply);
    },
    stallNext(at) {
      return new Promise((resolve) => {
        stall = { at, reached: resolve };
      });
    },
    waitForMessages(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(received);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} messages, received ${received.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
