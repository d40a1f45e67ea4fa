/**
 * An action executor in a process of its own, on a test server's data directory and
 * database, for tests of executors racing and of executors killed mid-attempt. Configured by
 * the control plane's environment variables. It reports `ready` over IPC and starts claiming
 * when told `go`, so several processes can start together.
 *
 * PLUGBOARD_TEST_KILL_AT=pre_flight kills the process with SIGKILL after it claimed an action
 * and before anything is sent; `post_flight` after the send and before the outcome is
 * recorded. The kill is an execution step added here, through the executor's ordinary step
 * list; nothing in the executor knows about it.
 */
import { startActionExecutor } from "../src/actions/action-executor.js";
import type { ExecutionStep } from "../src/actions/execution-pipeline.js";
import { executorImplementations } from "../src/actions/executor-resolution.js";
import { FIRST_PARTY_ACTION_EXECUTORS } from "../src/actions/first-party-executors.js";
import { loadConfig } from "../src/config.js";
import { createAesGcmVault, loadVaultKey } from "../src/secrets/aes-gcm-vault.js";
import { openDatabase } from "../src/store/database.js";

export type ExecutorProcessMessage = { readonly type: "ready" } | { readonly type: "go" };

const kill = () => {
  process.kill(process.pid, "SIGKILL");
  // SIGKILL is delivered at once; never go on to the next step.
  return new Promise<never>(() => {});
};

function killSteps(at: string | undefined): ExecutionStep[] {
  switch (at) {
    case undefined:
    case "":
      return [];
    case "pre_flight":
      return [{ name: "test-kill", stage: "pre_flight", run: kill }];
    case "post_flight":
      return [{ name: "test-kill", stage: "post_flight", run: kill }];
    default:
      throw new Error(`PLUGBOARD_TEST_KILL_AT: expected pre_flight or post_flight, got ${at}`);
  }
}

const config = loadConfig(process.env);
const database = openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
const vault = createAesGcmVault(loadVaultKey(config.dataDir, config.secretKey));
const steps = killSteps(process.env.PLUGBOARD_TEST_KILL_AT);
const log = {
  info: () => {},
  warn: () => {},
  error: (object: object, message: string) =>
    process.stderr.write(`${JSON.stringify({ ...object, message })}\n`),
};

const send = (message: ExecutorProcessMessage) => process.send?.(message);

process.on("message", (message: ExecutorProcessMessage) => {
  if (message.type !== "go") return;
  const executor = startActionExecutor({
    db: database.db,
    vault,
    implementations: executorImplementations(FIRST_PARTY_ACTION_EXECUTORS),
    steps,
    settings: config.actionExecutor,
    log,
  });
  process.once("SIGTERM", async () => {
    await executor.stop();
    await database.close();
    process.exit(0);
  });
});
send({ type: "ready" });
