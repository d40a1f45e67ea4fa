import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config.js";
import { buildControlPlane, type ControlPlane } from "../src/server.js";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

export interface RequestOptions {
  /** Bearer token; the admin token when omitted, none when null. */
  readonly token?: string | null;
  /** Sent as JSON unless it is already a string. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

/** A control plane on 127.0.0.1 with its own SQLite data directory, for black-box tests. */
export interface RunningControlPlane {
  readonly dataDir: string;
  readonly current: () => ControlPlane;
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Closes the server and starts a new one on the same data directory. */
  restart(): Promise<void>;
  /** Closes the server and deletes the data directory. */
  stop(): Promise<void>;
}

export async function startControlPlane(name: string): Promise<RunningControlPlane> {
  const dataDir = mkdtempSync(join(tmpdir(), `plugboard-${name}-`));
  const config = loadConfig({
    PLUGBOARD_DATA_DIR: dataDir,
    PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: "silent",
  });
  let plane: ControlPlane;
  let base: string;
  const start = async () => {
    plane = await buildControlPlane(config);
    await plane.app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(plane.app.server.address() as AddressInfo).port}`;
  };
  await start();
  return {
    dataDir,
    current: () => plane,
    request(method, path, options = {}) {
      const token = options.token === undefined ? ADMIN_TOKEN : options.token;
      const headers: Record<string, string> = { ...options.headers };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
        headers["content-type"] = options.contentType ?? "application/json";
      }
      return fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    },
    async restart() {
      await plane.app.close();
      await start();
    },
    async stop() {
      await plane.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
