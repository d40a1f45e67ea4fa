import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Writable } from "node:stream";

/** Values shorter than this are too common (ports, flags) to mean anything when found. */
const MIN_SECRET_LENGTH = 8;

/**
 * Captures every structured log line of a test server and checks that none of the secrets
 * it was given — tokens, secret values — ever appears in them.
 */
export interface LogCapture {
  readonly stream: Writable;
  /** Records a value that must never be logged. */
  forbid(value: string): void;
  /** Closes the log, then throws naming each forbidden value found in it. */
  assertNoSecretLogged(): Promise<void>;
}

export function createLogCapture(name: string): LogCapture {
  const dir = mkdtempSync(join(tmpdir(), `plugboard-logs-${name}-`));
  const file = join(dir, "server.ndjson");
  const stream = createWriteStream(file, { flags: "a" });
  const forbidden = new Set<string>();
  return {
    stream,
    forbid(value) {
      // An IP address is where something listens, not a credential, and the log names the
      // loopback address as the server's own and as every request's sender: finding one there
      // shows nothing. Credentials stored beside it (a relay password) are still checked.
      if (value.length >= MIN_SECRET_LENGTH && isIP(value) === 0) forbidden.add(value);
    },
    async assertNoSecretLogged() {
      await new Promise<void>((resolve) => stream.end(resolve));
      const log = readFileSync(file, "utf8");
      rmSync(dir, { recursive: true, force: true });
      if (log.trim() === "") throw new Error(`${name}: the server wrote no log lines to check`);
      const leaked = [...forbidden].filter((value) => log.includes(value));
      if (leaked.length > 0) {
        throw new Error(`${name}: ${leaked.length} secret value(s) appear in the server log`);
      }
    },
  };
}

/** Every string inside a JSON value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}
