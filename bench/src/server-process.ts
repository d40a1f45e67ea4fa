import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { CpuUsage, FromServer, Listening, ToServer } from "./servers/server-messages.js";

/** A server running in its own process, so it does not share an event loop with the load. */
export interface ServerProcess {
  readonly url: string;
  /** The server process's user + system CPU time so far, in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

const isListening = (message: FromServer): message is Listening => message.type === "listening";
const isCpuUsage = (message: FromServer): message is CpuUsage => message.type === "cpu-usage";

/** The next message from `child` that `wanted` accepts; rejects when the child exits first. */
function nextMessage<M extends FromServer>(
  child: ChildProcess,
  wanted: (message: FromServer) => message is M,
): Promise<M> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromServer) => {
      if (!wanted(message)) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => {
      child.off("message", onMessage);
      reject(new Error(`server process exited with code ${String(code)}`));
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/**
 * Forks `entry` (a file in `src/servers/`, run through tsx) with `env`, optionally sends it
 * `message`, and resolves once it reports the port it listens on.
 */
export async function startServerProcess(
  entry: string,
  env: Record<string, string>,
  message?: ToServer,
): Promise<ServerProcess> {
  const child = fork(fileURLToPath(new URL(`servers/${entry}`, import.meta.url)), [], {
    cwd: BENCH_DIR,
    env: { ...process.env, ...env },
    execArgv: ["--no-node-snapshot", "--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  try {
    const listening = nextMessage(child, isListening);
    if (message !== undefined) child.send(message);
    const { port } = await listening;
    return {
      url: `http://127.0.0.1:${port}`,
      async cpuMicros() {
        const usage = nextMessage(child, isCpuUsage);
        child.send({ type: "cpu-usage" } satisfies ToServer);
        return (await usage).micros;
      },
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
