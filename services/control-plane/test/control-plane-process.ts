import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The built entry point, as `npm start` runs it; `pnpm run build` makes it. */
export const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

/** A running `dist/main.js`. */
export interface ControlPlaneProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to standard output and standard error so far. */
  readonly output: () => string;
  /** How it ended: its exit code, or null when a signal ended it. */
  readonly exited: Promise<number | null>;
}

/** Runs the built entry point with only `env` (and PATH) as its environment. */
export function runMain(env: Readonly<Record<string, string>>): ControlPlaneProcess {
  const child = spawn(process.execPath, ["--no-node-snapshot", MAIN], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { child, output: () => output, exited };
}

/** Resolves once the process on `port` answers /ready with 200. */
export async function waitUntilReady(port: number): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the control plane on port ${port} never became ready`);
}

/** A port on 127.0.0.1 that nothing listened on a moment ago. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port was assigned");
  return address.port;
}
