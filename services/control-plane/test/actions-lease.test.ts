import { AuditListResponseWireSchema } from "@plugboard/contracts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ActionExecutor, startActionExecutor } from "../src/actions/action-executor.js";
import type { ExecutionStep } from "../src/actions/execution-pipeline.js";
import { executorImplementations } from "../src/actions/executor-resolution.js";
import { FIRST_PARTY_ACTION_EXECUTORS } from "../src/actions/first-party-executors.js";
import { createAesGcmVault, loadVaultKey } from "../src/secrets/aes-gcm-vault.js";
import type { Database } from "../src/store/database.js";
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
import { openServerDatabase } from "./server-database.js";

/** Long enough for the SMTP send, which is given half of it, on a busy machine. */
const LEASE_MS = 800;
const settings = {
  leaseMs: LEASE_MS,
  pollIntervalMs: 25,
  concurrency: 1,
  maxAttempts: 3,
  backoffBaseMs: 50,
  backoffMaxMs: 200,
};
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the claim on an action while its hooks run", { timeout: 30_000 }, () => {
  let smtp: LocalSmtpServer;
  let server: RunningControlPlane;
  let database: Database;
  let workerId: string;
  const executors: ActionExecutor[] = [];

  beforeAll(async () => {
    smtp = await startLocalSmtpServer();
    // Only the executors started here run actions.
    server = await startControlPlane("action-lease", { PLUGBOARD_ACTION_EXECUTOR: "off" });
    await connectSmtpRelay(server, smtp);
    workerId = await installFollowUpWorker(server);
    await setBoundaryMode(server, workerId, "auto");
    database = openServerDatabase(server);
  });
  afterEach(async () => {
    await Promise.all(executors.splice(0).map((executor) => executor.stop()));
  });
  afterAll(async () => {
    await database.close();
    await server.stop();
    await smtp.close();
  });

  const start = (owner: string, steps: readonly ExecutionStep[]) => {
    const executor = startActionExecutor({
      db: database.db,
      vault: createAesGcmVault(loadVaultKey(server.dataDir, undefined)),
      implementations: executorImplementations(FIRST_PARTY_ACTION_EXECUTORS),
      steps,
      settings,
      log: quiet,
      owner,
    });
    executors.push(executor);
    return executor;
  };
  /** Waits until `owner` has claimed the action, then starts a second executor that sweeps. */
  const claimedBy = async (actionId: string, owner: string) => {
    const deadline = Date.now() + 5_000;
    while ((await getAction(server, actionId)).attempts[0]?.executor !== owner) {
      if (Date.now() > deadline) throw new Error(`${owner} never claimed ${actionId}`);
      await sleep(10);
    }
    start("sweeping-replica", []);
  };
  const auditActions = async (id: string) => {
    const response = await server.request("GET", `/v1/audit?target=${id}`);
    return AuditListResponseWireSchema.parse(await response.json()).entries.map(
      (entry) => entry.action,
    );
  };
  const deliveredFor = (actionId: string) =>
    smtp.received.filter(
      (message) => message.mail.headers.get("x-plugboard-action-id") === actionId,
    );

  it("keeps the claim of a live executor whose pre_flight and post_flight steps outlast the lease, so nothing surfaces it", async () => {
    const action = await requestEmail(server, workerId);
    start("slow-hooks", [
      {
        name: "slow pre_flight",
        stage: "pre_flight",
        run: async () => {
          await sleep(2.5 * LEASE_MS);
          return { type: "continue" };
        },
      },
      {
        name: "slow post_flight",
        stage: "post_flight",
        run: async () => {
          await sleep(2.5 * LEASE_MS);
        },
      },
    ]);
    await claimedBy(action.id, "slow-hooks");
    const done = await waitForStatus(server, action.id, ["succeeded", "failed", "needs_attention"]);
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((attempt) => attempt.status)).toEqual(["succeeded"]);
    const [attempt] = done.attempts;
    // Renewed while the hooks ran: the last expiry is well past the first claim's.
    expect(
      Date.parse(attempt?.lease_expires_at ?? "") - Date.parse(attempt?.claimed_at ?? ""),
    ).toBeGreaterThan(4 * LEASE_MS);
    expect(done.last_error).toBeNull();
    expect(await auditActions(action.id)).not.toContain("action.needs_attention");
    expect(deliveredFor(action.id)).toHaveLength(1);
  });

  it("sends nothing when its claim is lost while a pre_flight step runs, and records that nothing was sent", async () => {
    const action = await requestEmail(server, workerId);
    start("claim-lost", [
      {
        name: "outlived pre_flight",
        stage: "pre_flight",
        run: async (context) => {
          if (context.attempt === 1) {
            // What a replica does once it judges the lease run out (say, after this
            // process lost its database for longer than a lease).
            await database.db
              .updateTable("actions")
              .set({ status: "needs_attention", lease_owner: null, lease_expires_at: null })
              .where("id", "=", context.actionId)
              .execute();
            await sleep(LEASE_MS);
          }
          return { type: "continue" };
        },
      },
    ]);
    const done = await waitForStatus(server, action.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((attempt) => [attempt.status, attempt.error?.code ?? null])).toEqual([
      ["retryable_error", "claim_lost"],
      ["succeeded", null],
    ]);
    expect(deliveredFor(action.id)).toHaveLength(1);
  });
});
