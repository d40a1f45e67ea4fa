import autocannon from "autocannon";
import {
  BENCH_ADMIN_TOKEN,
  controlPlaneEnvironment,
  prepareDataDir,
} from "./control-plane-data-dir.js";
import { median } from "./median.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";

const INSTALLED_PLUGINS = 1_000;
/** Load settings shared by the control plane and its baseline. */
const LOAD = { connections: 10, durationSeconds: 3, warmupSeconds: 2, rounds: 5 } as const;
const HEADERS = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };

interface LoadRun {
  readonly rps: number;
  /** The server process's CPU time per answered request. */
  readonly cpuMicrosPerRequest: number;
}

/** One autocannon run against `server`; throws on any failed request. */
async function loadRun(
  server: ServerProcess,
  path: string,
  durationSeconds: number,
): Promise<LoadRun> {
  const url = `${server.url}${path}`;
  const cpuBefore = await server.cpuMicros();
  const result = await autocannon({
    url,
    connections: LOAD.connections,
    duration: durationSeconds,
    headers: HEADERS,
  });
  const cpuAfter = await server.cpuMicros();
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${url}: ${failed} of ${result.requests.total} requests failed`);
  return {
    rps: result.requests.total / result.duration,
    cpuMicrosPerRequest: (cpuAfter - cpuBefore) / result.requests.total,
  };
}

async function fetchBody(url: string): Promise<string> {
  const response = await fetch(url, { headers: HEADERS });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

interface RouteThroughput {
  readonly bodyBytes: number;
  /** Median over rounds of subject / bare requests per second, each round's pair together. */
  readonly rpsRatio: number;
  /** Median over rounds of bare / subject server CPU per request. */
  readonly cpuRatio: number;
  readonly subjectRps: number;
  readonly bareRps: number;
  readonly subjectCpuMicros: number;
  readonly bareCpuMicros: number;
  readonly subject: LoadRun[];
  readonly bare: LoadRun[];
}

/**
 * One control plane route against a bare Fastify route sending the same bytes: warm-up of
 * both, then bare and subject alternately, so drift on the shared cores hits both alike.
 */
async function measureRoute(plane: ServerProcess, path: string): Promise<RouteThroughput> {
  const body = await fetchBody(`${plane.url}${path}`);
  const bare = await startServerProcess("bare-json-server.ts", {}, { type: "serve", path, body });
  try {
    if ((await fetchBody(`${bare.url}${path}`)) !== body) {
      throw new Error(`bare server for ${path} does not send the control plane's bytes`);
    }
    await loadRun(bare, path, LOAD.warmupSeconds);
    await loadRun(plane, path, LOAD.warmupSeconds);
    const rounds: Array<{ bare: LoadRun; subject: LoadRun }> = [];
    for (let round = 0; round < LOAD.rounds; round++) {
      const bareRun = await loadRun(bare, path, LOAD.durationSeconds);
      const subjectRun = await loadRun(plane, path, LOAD.durationSeconds);
      rounds.push({ bare: bareRun, subject: subjectRun });
    }
    return {
      bodyBytes: Buffer.byteLength(body),
      rpsRatio: median(rounds.map((r) => r.subject.rps / r.bare.rps)),
      cpuRatio: median(
        rounds.map((r) => r.bare.cpuMicrosPerRequest / r.subject.cpuMicrosPerRequest),
      ),
      subjectRps: median(rounds.map((r) => r.subject.rps)),
      bareRps: median(rounds.map((r) => r.bare.rps)),
      subjectCpuMicros: median(rounds.map((r) => r.subject.cpuMicrosPerRequest)),
      bareCpuMicros: median(rounds.map((r) => r.bare.cpuMicrosPerRequest)),
      subject: rounds.map((r) => r.subject),
      bare: rounds.map((r) => r.bare),
    };
  } finally {
    await bare.stop();
  }
}

/**
 * GET /v1/registry and GET /v1/plugins of a control plane with 1,000 installed plugins
 * (its own process, SQLite, admin bearer token), each as requests per second relative to a
 * bare Fastify route that sends the same pre-serialised body.
 */
export async function registryThroughputBenchmarks(logLevel: "info" | "silent") {
  const data = await prepareDataDir(INSTALLED_PLUGINS);
  const plane = await startServerProcess(
    "control-plane-server.ts",
    controlPlaneEnvironment(data.dataDir, logLevel),
  );
  try {
    const registry = await measureRoute(plane, "/v1/registry");
    const plugins = await measureRoute(plane, "/v1/plugins");
    return { registry, plugins };
  } finally {
    await plane.stop();
    data.remove();
  }
}

export const registryThroughputSettings = {
  installedPlugins: INSTALLED_PLUGINS,
  ...LOAD,
};
