import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { loadConfig } from "@plugboard/control-plane/src/config.ts";
import { buildControlPlane } from "@plugboard/control-plane/src/server.ts";
import {
  BENCH_ADMIN_TOKEN,
  type BenchDataDir,
  controlPlaneEnvironment,
  prepareDataDir,
} from "./control-plane-data-dir.js";
import { median } from "./median.js";

const INSTALLED_PLUGINS = 1_000;
const RUNS = 7;

/** Milliseconds from the start until /ready answered 200, then until /v1/registry did. */
interface StartTiming {
  readonly readyMs: number;
  readonly firstRegistryMs: number;
}

async function expectOk(url: string, token?: string): Promise<void> {
  const response = await fetch(url, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
}

async function timeReadyAndRegistry(base: string, start: number): Promise<StartTiming> {
  await expectOk(`${base}/ready`);
  const readyMs = performance.now() - start;
  await expectOk(`${base}/v1/registry`, BENCH_ADMIN_TOKEN);
  return { readyMs, firstRegistryMs: performance.now() - start };
}

/** `buildControlPlane` + `listen` in this (already warm) process, until /ready answers. */
async function startInProcess(dataDir: string): Promise<StartTiming> {
  const config = loadConfig(controlPlaneEnvironment(dataDir, "silent"));
  const start = performance.now();
  const { app } = await buildControlPlane(config);
  try {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    return await timeReadyAndRegistry(`http://127.0.0.1:${address.port}`, start);
  } finally {
    await app.close();
  }
}

/**
 * `node dist/main.js` as an operator starts it (logging at info), from spawn until /ready
 * answers; the port comes from Fastify's "Server listening at" log line.
 */
async function startChildProcess(mainJs: string, dataDir: string): Promise<StartTiming> {
  const start = performance.now();
  const child = spawn(process.execPath, ["--no-node-snapshot", mainJs], {
    env: { ...process.env, ...controlPlaneEnvironment(dataDir, "info") },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  try {
    const base = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on("line", (line) => {
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once("exit", (code) =>
        reject(new Error(`main.js exited with ${code} before listening`)),
      );
    });
    return await timeReadyAndRegistry(base, start);
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  }
}

/**
 * The built entry point, or why there is none. A build older than some source file is still
 * measured (the tree may be edited while the benchmark runs) but reported as stale.
 */
function builtEntryPoint(): { path: string; stale: boolean } | { missing: string } {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("@plugboard/control-plane/package.json"));
  const mainJs = join(root, "dist", "main.js");
  if (!existsSync(mainJs)) return { missing: `${mainJs} does not exist (run the build first)` };
  const newestSource = (dir: string): number =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
        entry.isDirectory()
          ? newestSource(join(dir, entry.name))
          : statSync(join(dir, entry.name)).mtimeMs,
      ),
    );
  return { path: mainJs, stale: newestSource(join(root, "src")) > statSync(mainJs).mtimeMs };
}

interface ColdStartSeries {
  readonly readyMs: number;
  readonly firstRegistryMs: number;
  readonly readyRuns: number[];
}

/** Runs `startOnce` on the empty and the full data directory alternately, after a warm-up. */
async function alternate(
  empty: BenchDataDir,
  full: BenchDataDir,
  startOnce: (dataDir: string) => Promise<StartTiming>,
): Promise<{ empty: ColdStartSeries; full: ColdStartSeries }> {
  await startOnce(empty.dataDir);
  await startOnce(full.dataDir);
  const runs = { empty: [] as StartTiming[], full: [] as StartTiming[] };
  for (let run = 0; run < RUNS; run++) {
    runs.empty.push(await startOnce(empty.dataDir));
    runs.full.push(await startOnce(full.dataDir));
  }
  const series = (timings: StartTiming[]): ColdStartSeries => ({
    readyMs: median(timings.map((t) => t.readyMs)),
    firstRegistryMs: median(timings.map((t) => t.firstRegistryMs)),
    readyRuns: timings.map((t) => Math.round(t.readyMs)),
  });
  return { empty: series(runs.empty), full: series(runs.full) };
}

/**
 * Start-up of a control plane on SQLite with 1,000 installed plugins against the same start
 * with none installed: in this process (`buildControlPlane` to /ready) and, when the build
 * exists, as `node dist/main.js` (spawn to /ready). Also records when the first
 * /v1/registry answered, because /ready does not load the catalog.
 */
export async function coldStartBenchmarks() {
  const empty = await prepareDataDir(0);
  const full = await prepareDataDir(INSTALLED_PLUGINS).catch((error: unknown) => {
    empty.remove();
    throw error;
  });
  try {
    const inProcess = await alternate(empty, full, startInProcess);
    const entry = builtEntryPoint();
    if ("path" in entry && entry.stale) {
      console.warn(`warning: ${entry.path} is older than some of its sources`);
    }
    const childProcess =
      "path" in entry
        ? {
            ...(await alternate(empty, full, (dataDir) => startChildProcess(entry.path, dataDir))),
            buildOlderThanSources: entry.stale,
          }
        : { skipped: entry.missing };
    return { inProcess, childProcess };
  } finally {
    empty.remove();
    full.remove();
  }
}

export const coldStartSettings = { installedPlugins: INSTALLED_PLUGINS, runs: RUNS };
