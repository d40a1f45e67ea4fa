import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ActionDetail,
  ActionDetailWireSchema,
  ActionWireSchema,
  WorkerInstallResultWireSchema,
} from "@plugboard/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../src/store/database.js";
import { freePort, runMain, waitUntilReady } from "./control-plane-process.js";
import { FOLLOW_UP_EMAIL, FROM_ADDRESS, SMTP_LOGIN } from "./governed-actions.js";
import { type LocalSmtpServer, type SmtpStall, startLocalSmtpServer } from "./local-smtp-server.js";
import { ADMIN_TOKEN, createTestDatabase, type TestDatabase } from "./running-control-plane.js";

/** Short, so a killed process's claim runs out quickly; the send is given half of it. */
const LEASE_MS = 3_000;

type WireActionDetail = ReturnType<typeof ActionDetailWireSchema.parse>;

/**
 * The real control plane, `dist/main.js`, killed with SIGKILL in the middle of sending an
 * action and started again on the same data directory and database (SQLite, or PostgreSQL in
 * the postgres project). Nothing is injected into it: the kill points are made by the SMTP
 * server, which stops answering where the test needs the process to be.
 */
describe("the control-plane process killed in the middle of a send", { timeout: 60_000 }, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Starts main.js on `dataDir` and `database`, and a client for its API. */
  async function start(dataDir: string, database: TestDatabase) {
    const port = await freePort();
    const running = runMain({
      PLUGBOARD_DATA_DIR: dataDir,
      ...(database.url === undefined ? {} : { DATABASE_URL: database.url }),
      PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
      PORT: String(port),
      LOG_LEVEL: "info",
      PLUGBOARD_ACTION_LEASE_MS: String(LEASE_MS),
      PLUGBOARD_ACTION_POLL_MS: "50",
    });
    cleanups.push(async () => {
      if (running.child.exitCode === null && running.child.signalCode === null) {
        running.child.kill("SIGKILL");
        await running.exited;
      }
    });
    await waitUntilReady(port);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    return { process: running, call };
  }

  async function setUp(name: string) {
    const smtp = await startLocalSmtpServer();
    cleanups.push(() => smtp.close());
    const dataDir = mkdtempSync(join(tmpdir(), `plugboard-${name}-`));
    const database = await createTestDatabase(name);
    cleanups.push(async () => {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    return { smtp, dataDir, database };
  }

  /** Connects the relay to `smtp`, installs a worker whose sends run at once, and returns it. */
  async function autoWorker(
    call: Awaited<ReturnType<typeof start>>["call"],
    smtp: LocalSmtpServer,
  ) {
    const relay = await call("PUT", "/v1/plugins/provider.smtp-relay/secrets", {
      secrets: {
        smtp_host: smtp.host,
        smtp_port: String(smtp.port),
        smtp_username: SMTP_LOGIN.username,
        smtp_password: SMTP_LOGIN.password,
        smtp_from_address: FROM_ADDRESS,
      },
    });
    expect(relay.status).toBe(200);
    const installed = await call("POST", "/v1/workers", { worker_pack_id: "follow_up_v1" });
    expect(installed.status).toBe(201);
    const workerId = WorkerInstallResultWireSchema.parse(await installed.json()).worker.id;
    const mode = await call("PUT", `/v1/workers/${workerId}/action-capabilities/send_email`, {
      boundary_mode: "auto",
    });
    expect(mode.status).toBe(200);
    return workerId;
  }

  /** The action as stored, read while no process runs. */
  async function storedAction(dataDir: string, database: TestDatabase, id: string) {
    const opened = openDatabase({ dataDir, databaseUrl: database.url });
    try {
      const action = await opened.db
        .selectFrom("actions")
        .select(["status", "attempt_count"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      const attempts = await opened.db
        .selectFrom("action_attempts")
        .select("status")
        .where("action_id", "=", id)
        .execute();
      return { ...action, attempts: attempts.map((attempt) => attempt.status) };
    } finally {
      await opened.close();
    }
  }

  async function waitFor(
    call: Awaited<ReturnType<typeof start>>["call"],
    id: string,
    statuses: readonly ActionDetail["status"][],
  ): Promise<WireActionDetail> {
    const deadline = Date.now() + 4 * LEASE_MS;
    for (;;) {
      const response = await call("GET", `/v1/actions/${id}`);
      const action = ActionDetailWireSchema.parse(await response.json());
      if (statuses.includes(action.status)) return action;
      if (Date.now() > deadline) throw new Error(`action ${id} is still ${action.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const cases: ReadonlyArray<{ stall: SmtpStall; when: string; sentBeforeKill: number }> = [
    { stall: "greeting", when: "between claim and send", sentBeforeKill: 0 },
    { stall: "final_reply", when: "between send and outcome", sentBeforeKill: 1 },
  ];
  for (const { stall, when, sentBeforeKill } of cases) {
    it(`after a restart, surfaces an action whose process was killed ${when}, and sends it again only on an explicit retry`, async () => {
      const { smtp, dataDir, database } = await setUp(`main-crash-${stall}`);
      const first = await start(dataDir, database);
      const workerId = await autoWorker(first.call, smtp);

      const stalled = smtp.stallNext(stall);
      const requested = await first.call("POST", "/v1/actions", {
        worker_id: workerId,
        kind: "send_email",
        payload: FOLLOW_UP_EMAIL,
      });
      expect(requested.status).toBe(201);
      const actionId = ActionWireSchema.parse(await requested.json()).id;
      await stalled;
      first.process.child.kill("SIGKILL");
      expect(await first.process.exited).toBeNull();
      expect(first.process.child.signalCode).toBe("SIGKILL");

      expect(await storedAction(dataDir, database, actionId)).toEqual({
        status: "in_flight",
        attempt_count: 1,
        attempts: ["in_flight"],
      });
      expect(smtp.withheld).toHaveLength(sentBeforeKill);
      expect(smtp.received).toHaveLength(0);

      const second = await start(dataDir, database);
      const surfaced = await waitFor(second.call, actionId, ["needs_attention", "succeeded"]);
      expect(surfaced.status).toBe("needs_attention");
      expect(surfaced.last_error?.code).toBe("lease_expired");
      expect(surfaced.attempts.map((attempt) => attempt.status)).toEqual(["unknown"]);
      const queue = await second.call("GET", "/v1/actions?status=needs_attention");
      expect(await queue.text()).toContain(actionId);
      // Many polls later the restarted process has not sent it again by itself.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const waiting = await waitFor(second.call, actionId, ["needs_attention"]);
      expect(waiting.attempt_count).toBe(1);
      expect(smtp.received).toHaveLength(0);
      expect(smtp.withheld).toHaveLength(sentBeforeKill);

      const retried = await second.call("POST", `/v1/actions/${actionId}/retry`, {
        reason: "not in the relay's log",
      });
      expect(retried.status).toBe(200);
      const done = await waitFor(second.call, actionId, ["succeeded", "failed"]);
      expect(done.status).toBe("succeeded");
      expect(done.attempts.map((attempt) => attempt.status)).toEqual(["unknown", "succeeded"]);
      expect(done.last_retry).toMatchObject({ retried_by: "admin", count: 1 });
      expect(smtp.received).toHaveLength(1);
      const messageId = `<${done.idempotency_key}@acme.example>`;
      expect(smtp.received[0]?.mail.messageId).toBe(messageId);
      // The copy read before the kill carries the same Message-ID, so a client can tell.
      for (const copy of smtp.withheld) expect(copy.mail.messageId).toBe(messageId);

      second.process.child.kill("SIGTERM");
      expect(await second.process.exited).toBe(0);
      for (const output of [first.process.output(), second.process.output()]) {
        expect(output).not.toContain(SMTP_LOGIN.password);
        expect(output).not.toContain(ADMIN_TOKEN);
      }
    });
  }
});
