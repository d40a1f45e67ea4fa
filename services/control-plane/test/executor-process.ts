import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ExecutorProcessMessage } from "./action-executor-process.js";
import type { RunningControlPlane } from "./running-control-plane.js";

const ENTRY = fileURLToPath(new URL("./action-executor-process.ts", import.meta.url));
const SERVICE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** An action executor running in its own process on a test server's database. */
export interface ExecutorProcess {
  /** Starts claiming actions. */
  go(): void;
  /** How the process ended: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops it with SIGTERM (it finishes the attempt in hand) and waits for it to end. */
  stop(): Promise<void>;
  readonly stderr: () => string;
}

/** Forks `action-executor-process.ts` and resolves once it has opened the database. */
export async function startExecutorProcess(
  server: RunningControlPlane,
  env: Readonly<Record<string, string>> = {},
): Promise<ExecutorProcess> {
  const child = fork(ENTRY, [], {
    cwd: SERVICE_DIR,
    execArgv: ["--no-node-snapshot", "--import", "tsx"],
    env: {
      PATH: process.env.PATH ?? "",
      PLUGBOARD_DATA_DIR: server.dataDir,
      ...(server.databaseUrl === undefined ? {} : { DATABASE_URL: server.databaseUrl }),
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.on("message", (message: ExecutorProcessMessage) => {
      if (message.type === "ready") resolve();
    });
    void exited.then(({ code, signal }) =>
      reject(
        new Error(`executor process ended before it was ready (${code ?? signal}): ${stderr}`),
      ),
    );
  });
  return {
    go: () => child.send({ type: "go" } satisfies ExecutorProcessMessage),
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    stderr: () => stderr,
  };
}
