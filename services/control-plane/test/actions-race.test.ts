import { ActionListResponseWireSchema, AuditListResponseWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExecutorProcess, startExecutorProcess } from "./executor-process.js";
import {
  connectSmtpRelay,
  getAction,
  installFollowUpWorker,
  requestEmail,
  setBoundaryMode,
} from "./governed-actions.js";
import { type LocalSmtpServer, startLocalSmtpServer } from "./local-smtp-server.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

const ACTIONS = 24;

describe("executors in two processes on one database", { timeout: 30_000 }, () => {
  let smtp: LocalSmtpServer;
  let server: RunningControlPlane;
  const processes: ExecutorProcess[] = [];

  beforeAll(async () => {
    smtp = await startLocalSmtpServer();
    server = await startControlPlane("action-race", { PLUGBOARD_ACTION_EXECUTOR: "off" });
    await connectSmtpRelay(server, smtp);
  });
  afterAll(async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await server.stop();
    await smtp.close();
  });

  const succeeded = async () => {
    const response = await server.request("GET", "/v1/actions?status=succeeded&limit=200");
    return ActionListResponseWireSchema.parse(await response.json()).actions;
  };

  it("deliver every action exactly once when they race for the same queue", async () => {
    const workerId = await installFollowUpWorker(server);
    await setBoundaryMode(server, workerId, "auto");
    const ids: string[] = [];
    for (let index = 0; index < ACTIONS; index++) {
      const action = await requestEmail(server, workerId);
      expect(action.status).toBe("queued");
      ids.push(action.id);
    }
    const env = { PLUGBOARD_ACTION_CONCURRENCY: "3", PLUGBOARD_ACTION_POLL_MS: "20" };
    const racers = await Promise.all([
      startExecutorProcess(server, env),
      startExecutorProcess(server, env),
    ]);
    processes.push(...racers);
    for (const racer of racers) racer.go();

    const deadline = Date.now() + 20_000;
    while ((await succeeded()).length < ACTIONS) {
      if (Date.now() > deadline) throw new Error(`only ${(await succeeded()).length} succeeded`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));

    const delivered = smtp.received.map((message) =>
      message.mail.headers.get("x-plugboard-action-id"),
    );
    expect(delivered).toHaveLength(ACTIONS);
    expect(new Set(delivered)).toEqual(new Set(ids));
    const executors = new Set<string>();
    for (const id of ids) {
      const action = await getAction(server, id);
      expect(action.attempts).toHaveLength(1);
      for (const attempt of action.attempts) executors.add(attempt.executor);
    }
    // Both processes took part; neither sent what the other had claimed.
    expect(executors.size).toBe(2);
    const claims = await server.request("GET", "/v1/audit?action=action.claim&limit=200");
    expect(AuditListResponseWireSchema.parse(await claims.json()).entries).toHaveLength(ACTIONS);
  });
});
