import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import {
  BENCH_ADMIN_TOKEN,
  controlPlaneEnvironment,
  prepareDataDir,
} from "./control-plane-data-dir.js";
import { median } from "./median.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";

/** A bounded load: a fixed request rate, well under what the server can take. */
const LOAD = {
  connections: 10,
  requestsPerSecond: 800,
  durationSeconds: 4,
  warmupSeconds: 2,
  rounds: 5,
  swapEveryMs: 100,
} as const;

const POSTMARK = "ingress.postmark.forward-email";
const HOOK = "hook.bench-stamp";
const TOKEN = `bench-swap-token-${randomBytes(12).toString("hex")}`;

let sequence = 0;

/** A plugin package in a local directory: an ingress hook that stamps each subject. */
function writeStampHook(dir: string): void {
  mkdirSync(join(dir, "dist"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "bench-stamp-hook",
      version: "1.0.0",
      plugboard: { manifest: "dist/manifest.json" },
    }),
  );
  writeFileSync(
    join(dir, "dist", "manifest.json"),
    JSON.stringify({
      kind: "hook",
      id: HOOK,
      version: "1.0.0",
      displayName: "Bench stamp",
      description: "Stamps the subject of every webhook, for the hot-swap benchmark.",
      owner: "third_party",
      stability: "experimental",
      category: "gateway",
      engines: { plugboard: "^1.0.0" },
      ring: "ingress",
      priority: 100,
      timeoutMs: 1_000,
      failMode: "closed",
      runtime: { type: "module", entry: "dist/plugin.js" },
    }),
  );
  writeFileSync(
    join(dir, "dist", "plugin.js"),
    `export default {
  manifest: { id: ${JSON.stringify(HOOK)} },
  setup() {
    return { run: (request) => ({ action: "modify", body: { ...request.body, Subject: "[stamped] " + request.body.Subject } }) };
  },
};
`,
  );
}

function postmarkBody(messageId: string): string {
  return JSON.stringify({
    MessageID: messageId,
    FromFull: { Email: "ana@example.com", Name: "Ana Lima", MailboxHash: "" },
    ToFull: [{ Email: "inbound@example.net", Name: "Inbound", MailboxHash: "" }],
    Subject: "Fwd: the Q3 proposal",
    TextBody: "Could you follow up with them next week?",
  });
}

interface LatencyRun {
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
  readonly swaps: number;
}

async function admin(plane: ServerProcess, method: string, path: string, body: unknown) {
  const response = await fetch(`${plane.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
}

/** One load run at the bounded rate; with `swapping`, reloads the hook every 100 ms meanwhile. */
async function loadRun(
  plane: ServerProcess,
  seconds: number,
  swapping: boolean,
): Promise<LatencyRun> {
  let refused = 0;
  let swaps = 0;
  let running = true;
  const swapper = (async () => {
    while (swapping && running) {
      await admin(plane, "POST", `/v1/plugins/${HOOK}/reload`, {});
      swaps++;
      await new Promise((resolve) => setTimeout(resolve, LOAD.swapEveryMs));
    }
  })();
  try {
    const result = await autocannon({
      url: plane.url,
      connections: LOAD.connections,
      overallRate: LOAD.requestsPerSecond,
      duration: seconds,
      requests: [
        {
          method: "POST",
          path: `/webhooks/${POSTMARK}`,
          setupRequest: (request) => ({
            ...request,
            body: postmarkBody(`pm-swap-${process.pid}-${++sequence}`),
            headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
          }),
          onResponse: (status) => {
            if (status !== 202) refused++;
          },
        },
      ],
    });
    const failed = result.errors + result.timeouts + refused;
    if (failed > 0) throw new Error(`${failed} of ${result.requests.total} webhooks failed`);
    return {
      p50: result.latency.p50,
      p99: result.latency.p99,
      rps: result.requests.average,
      swaps,
    };
  } finally {
    running = false;
    await swapper;
  }
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * Webhook latency through a sandboxed, fail-closed ingress hook at a bounded rate (800/s),
 * in steady state and while the hook is hot-swapped (`POST /v1/plugins/{id}/reload`: a new
 * instance loaded and probed, the switch, the old one drained) every 100 ms. Rounds
 * alternate steady and swapping. Target: p99 rises by at most 5 ms during swaps.
 */
export async function hotSwapBenchmarks() {
  const data = await prepareDataDir(0);
  const plugins = mkdtempSync(join(tmpdir(), "plugboard-bench-plugins-"));
  writeStampHook(join(plugins, "stamp-hook"));
  const plane = await startServerProcess("control-plane-server.ts", {
    ...controlPlaneEnvironment(data.dataDir, "silent"),
    PLUGBOARD_PLUGIN_DIRS: plugins,
  });
  try {
    await admin(plane, "PUT", `/v1/plugins/${POSTMARK}/secrets`, {
      secrets: { postmark_inbound_token: TOKEN },
    });
    await loadRun(plane, LOAD.warmupSeconds, false);
    await loadRun(plane, LOAD.warmupSeconds, true);
    const rounds: Array<{ steady: LatencyRun; swapping: LatencyRun }> = [];
    for (let index = 0; index < LOAD.rounds; index++) {
      const steady = await loadRun(plane, LOAD.durationSeconds, false);
      const swapping = await loadRun(plane, LOAD.durationSeconds, true);
      rounds.push({ steady, swapping });
    }
    const figures = {
      steadyP50Ms: round(median(rounds.map((r) => r.steady.p50))),
      steadyP99Ms: round(median(rounds.map((r) => r.steady.p99))),
      swappingP50Ms: round(median(rounds.map((r) => r.swapping.p50))),
      swappingP99Ms: round(median(rounds.map((r) => r.swapping.p99))),
      p99RiseMs: round(median(rounds.map((r) => r.swapping.p99 - r.steady.p99))),
      swapsPerRound: round(median(rounds.map((r) => r.swapping.swaps)), 0),
      requestsPerSecond: round(median(rounds.map((r) => r.steady.rps)), 0),
    };
    const ratios = {
      swappingP99OverSteadyP99: round(median(rounds.map((r) => r.swapping.p99 / r.steady.p99)), 3),
    };
    console.log("hot-swap latency (ms):", figures, ratios);
    console.log(`p99 during hot-swaps rises by ${figures.p99RiseMs} ms (target <= 5 ms)`);
    return { settings: LOAD, figures, ratios, rounds };
  } finally {
    await plane.stop();
    data.remove();
    rmSync(plugins, { recursive: true, force: true });
  }
}
