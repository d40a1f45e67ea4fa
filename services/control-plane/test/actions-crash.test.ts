import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExecutorProcess, startExecutorProcess } from "./executor-process.js";
import {
  connectSmtpRelay,
  getAction,
  installFollowUpWorker,
  requestEmail,
  setBoundaryMode,
  waitForStatus,
} from "./governed-actions.js";
import { type LocalSmtpServer, startLocalSmtpServer } from "./local-smtp-server.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

/** Executor processes claim with a short lease, so a killed one's claim runs out quickly. */
const EXECUTOR_ENV = { PLUGBOARD_ACTION_LEASE_MS: "1500", PLUGBOARD_ACTION_POLL_MS: "50" };

describe("an executor killed in the middle of an attempt", { timeout: 30_000 }, () => {
  let smtp: LocalSmtpServer;
  let server: RunningControlPlane;
  let workerId: string;
  const processes: ExecutorProcess[] = [];

  beforeAll(async () => {
    smtp = await startLocalSmtpServer();
    // The API server executes nothing here: only the executor processes do.
    server = await startControlPlane("action-crash", { PLUGBOARD_ACTION_EXECUTOR: "off" });
    await connectSmtpRelay(server, smtp);
    workerId = await installFollowUpWorker(server);
    await setBoundaryMode(server, workerId, "auto");
  });
  afterAll(async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await server.stop();
    await smtp.close();
  });

  const deliveredFor = (actionId: string) =>
    smtp.received.filter(
      (message) => message.mail.headers.get("x-plugboard-action-id") === actionId,
    );

  /** Runs an executor process that kills itself at `killAt` and waits for it to die. */
  const crashAt = async (killAt: "pre_flight" | "post_flight") => {
    const doomed = await startExecutorProcess(server, {
      ...EXECUTOR_ENV,
      PLUGBOARD_TEST_KILL_AT: killAt,
    });
    processes.push(doomed);
    doomed.go();
    expect(await doomed.exited).toEqual({ code: null, signal: "SIGKILL" });
  };
  const restart = async () => {
    const executor = await startExecutorProcess(server, EXECUTOR_ENV);
    processes.push(executor);
    executor.go();
    return executor;
  };
  const retry = (id: string) =>
    server.request("POST", `/v1/actions/${id}/retry`, { body: { reason: "checked the inbox" } });

  for (const killAt of ["pre_flight", "post_flight"] as const) {
    const when = killAt === "pre_flight" ? "between claim and send" : "between send and outcome";
    const sentBeforeCrash = killAt === "pre_flight" ? 0 : 1;

    it(`leaves an action killed ${when} in flight, surfaces it after restart, and resends only on an explicit retry`, async () => {
      const action = await requestEmail(server, workerId);
      await crashAt(killAt);

      const stranded = await getAction(server, action.id);
      expect(stranded.status).toBe("in_flight");
      expect(stranded.attempts.map((attempt) => attempt.status)).toEqual(["in_flight"]);
      expect(deliveredFor(action.id)).toHaveLength(sentBeforeCrash);

      const executor = await restart();
      const surfaced = await waitForStatus(server, action.id, ["needs_attention"], 10_000);
      expect(surfaced.last_error?.code).toBe("lease_expired");
      expect(surfaced.attempts.map((attempt) => attempt.status)).toEqual(["unknown"]);
      const queue = await server.request("GET", "/v1/actions?status=needs_attention");
      expect(JSON.stringify(await queue.json())).toContain(action.id);
      // The restarted executor polls many times over; it never picks the action up again.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await getAction(server, action.id)).attempt_count).toBe(1);
      expect(deliveredFor(action.id)).toHaveLength(sentBeforeCrash);

      expect((await retry(action.id)).status).toBe(200);
      const done = await waitForStatus(server, action.id, ["succeeded", "failed"], 10_000);
      expect(done.status).toBe("succeeded");
      expect(done.attempts.map((attempt) => attempt.status)).toEqual(["unknown", "succeeded"]);
      const delivered = deliveredFor(action.id);
      expect(delivered).toHaveLength(sentBeforeCrash + 1);
      // A copy sent before the crash and the one sent on retry share one Message-ID.
      expect(new Set(delivered.map((message) => message.mail.messageId))).toEqual(
        new Set([`<${done.idempotency_key}@acme.example>`]),
      );
      await executor.stop();
      expect(await executor.exited).toEqual({ code: 0, signal: null });
    });
  }
});
