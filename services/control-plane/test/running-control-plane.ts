import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { buildControlPlane, type ControlPlane, type ControlPlaneOptions } from "../src/server.js";
import { createLogCapture, stringsIn } from "./log-capture.js";
import { checkResponseContract } from "./response-contract.js";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

export interface RequestOptions {
  /** Bearer token; the admin token when omitted, none when null. */
  readonly token?: string | null;
  /** Sent as JSON unless it is already a string. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

/**
 * A control plane on 127.0.0.1 with its own data directory and its own empty database, for
 * black-box tests: SQLite in the data directory, or a fresh PostgreSQL database when
 * PLUGBOARD_TEST_DATABASE is `postgres` (the `postgres` project in vitest.config.ts).
 */
export interface RunningControlPlane {
  readonly dataDir: string;
  /** The server's DATABASE_URL: undefined on SQLite, which lives in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly current: () => ControlPlane;
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Records a value the server must never log, such as a webhook signature a test sent. */
  forbidInLog(value: string): void;
  /** Closes the server and starts a new one on the same data directory and database. */
  restart(): Promise<void>;
  /** Closes the server and deletes the data directory and database. */
  stop(): Promise<void>;
}

/**
 * `env` adds or overrides environment settings, such as PLUGBOARD_INSTALL_ALLOWLIST;
 * `options` are passed to every start, such as an event bus the test subscribes to.
 */
export async function startControlPlane(
  name: string,
  env: Readonly<Record<string, string>> = {},
  options: Omit<ControlPlaneOptions, "logStream"> = {},
): Promise<RunningControlPlane> {
  const dataDir = mkdtempSync(join(tmpdir(), `plugboard-${name}-`));
  const database = await createTestDatabase(name);
  const config = loadConfig({
    PLUGBOARD_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: "debug",
    ...env,
  });
  // Every log line is kept and searched at stop for the tokens and secret values sent.
  const logs = createLogCapture(name);
  logs.forbid(ADMIN_TOKEN);
  let plane: ControlPlane;
  let base: string;
  const start = async () => {
    plane = await buildControlPlane(config, { ...options, logStream: logs.stream });
    await plane.app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(plane.app.server.address() as AddressInfo).port}`;
  };
  await start();
  return {
    dataDir,
    databaseUrl: database.url,
    current: () => plane,
    async request(method, path, options = {}) {
      const token = options.token === undefined ? ADMIN_TOKEN : options.token;
      const headers: Record<string, string> = { ...options.headers };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
        headers["content-type"] = options.contentType ?? "application/json";
      }
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      await checkResponseContract(method, path, response);
      if (/\/secrets$/.test(path) && options.body !== undefined) {
        for (const value of stringsIn(options.body)) logs.forbid(value);
      }
      if (path === "/v1/tokens" && method === "POST" && response.status === 201) {
        logs.forbid(((await response.clone().json()) as { token: string }).token);
      }
      return response;
    },
    forbidInLog: (value) => logs.forbid(value),
    async restart() {
      await plane.app.close();
      await start();
    },
    async stop() {
      await plane.app.close();
      await logs.assertNoSecretLogged();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestDatabase {
  /** DATABASE_URL for the server; undefined for SQLite in the data directory. */
  readonly url: string | undefined;
  drop(): Promise<void>;
}

/**
 * The database of one test server (or one control-plane process): SQLite in its data
 * directory, or on PostgreSQL a database of its own, created through the admin URL.
 */
export async function createTestDatabase(name: string): Promise<TestDatabase> {
  if (process.env.PLUGBOARD_TEST_DATABASE !== "postgres") {
    return { url: undefined, drop: async () => {} };
  }
  const adminUrl = process.env.PLUGBOARD_TEST_POSTGRES_URL;
  if (adminUrl === undefined || adminUrl === "") {
    throw new Error("PLUGBOARD_TEST_DATABASE=postgres needs PLUGBOARD_TEST_POSTGRES_URL");
  }
  // Test files run in parallel and may use the same name: the random suffix keeps them apart.
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 32);
  const databaseName = `plugboard_${slug}_${randomBytes(6).toString("hex")}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE "${databaseName}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdminClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`),
      ),
  };
}

async function withAdminClient(
  url: string,
  action: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await action(client);
  } finally {
    await client.end();
  }
}
