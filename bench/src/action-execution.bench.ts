import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  BENCH_ADMIN_TOKEN,
  controlPlaneEnvironment,
  prepareDataDir,
} from "./control-plane-data-dir.js";
import { median } from "./median.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";
import type { FromSender, ToSender } from "./servers/bare-smtp-sender.js";
import { type SmtpSink, startSmtpSink } from "./smtp-sink.js";

/** Actions per round, rounds, and the executor's (and the baseline's) concurrent sends. */
const SETTINGS = { actions: 300, rounds: 3, concurrency: 4, requestConcurrency: 8 } as const;
const HEADERS = {
  authorization: `Bearer ${BENCH_ADMIN_TOKEN}`,
  "content-type": "application/json",
};
const EMAIL = {
  to: ["ann@client.example", "bo@client.example"],
  subject: "Next steps after Tuesday's call",
  text: "Hi Ann, thanks for the call. As agreed, we will send the proposal by Friday.",
};

async function call(url: string, method: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method, headers: HEADERS, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}`);
  return response.json();
}

/** Connects the relay to the sink, installs a follow-up worker and lets it send unreviewed. */
async function prepareWorker(base: string, smtpPort: number): Promise<string> {
  await call(`${base}/v1/plugins/provider.smtp-relay/secrets`, "PUT", {
    secrets: {
      smtp_host: "127.0.0.1",
      smtp_port: String(smtpPort),
      smtp_username: "bench",
      smtp_password: "bench-password",
      smtp_from_address: "followups@acme.example",
    },
  });
  const installed = (await call(`${base}/v1/workers`, "POST", {
    worker_pack_id: "follow_up_v1",
  })) as { worker: { id: string } };
  const workerId = installed.worker.id;
  await call(`${base}/v1/workers/${workerId}/action-capabilities/send_email`, "PUT", {
    boundary_mode: "auto",
  });
  return workerId;
}

/** Requests `count` send_email actions, `requestConcurrency` at a time. */
async function requestActions(base: string, workerId: string, count: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next++ < count) {
      await call(`${base}/v1/actions`, "POST", {
        worker_id: workerId,
        kind: "send_email",
        payload: EMAIL,
      });
    }
  };
  await Promise.all(Array.from({ length: SETTINGS.requestConcurrency }, lane));
}

/** Sends `count` messages from a bare sender process; resolves when it is done. */
async function bareSend(sink: SmtpSink, count: number): Promise<void> {
  const child = fork(fileURLToPath(new URL("servers/bare-smtp-sender.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.on("message", (message: FromSender) => {
        if (message.type === "ready") {
          child.send({
            type: "send",
            port: sink.port,
            count,
            concurrency: SETTINGS.concurrency,
          } satisfies ToSender);
        } else resolve();
      });
      child.once("exit", (code) => reject(new Error(`bare sender exited with ${code}`)));
    });
  } finally {
    child.kill("SIGTERM");
  }
}

const perSecond = (count: number, fromMs: number, toMs: number) => count / ((toMs - fromMs) / 1000);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/**
 * Auto-approved `send_email` actions through the control plane (SQLite, its own process) to a
 * local SMTP server, in actions per second:
 * - `drain`: a backlog of queued actions executed by a freshly started executor, from the
 *   first message the SMTP server accepts to the last (claim, attempt row, audit, SMTP
 *   exchange, outcome per action);
 * - `endToEnd`: actions requested over HTTP while the executor runs, from the first request
 *   to the last accepted message;
 * - `bare`: the same messages sent by a process with nothing but the SMTP client, one connection
 *   per message at the same concurrency: the baseline of the ratios.
 */
export async function actionExecutionBenchmarks() {
  const sink = await startSmtpSink();
  const data = await prepareDataDir(0);
  const environment = (executor: "on" | "off") => ({
    ...controlPlaneEnvironment(data.dataDir, "info"),
    PLUGBOARD_ACTION_EXECUTOR: executor,
    PLUGBOARD_ACTION_CONCURRENCY: String(SETTINGS.concurrency),
  });
  const start = (executor: "on" | "off") =>
    startServerProcess("control-plane-server.ts", environment(executor));
  let plane: ServerProcess | undefined;
  const runs = {
    drain: [] as number[],
    endToEnd: [] as number[],
    endToEndCpuMicros: [] as number[],
    bare: [] as number[],
  };
  try {
    plane = await start("off");
    const workerId = await prepareWorker(plane.url, sink.port);
    for (let index = 0; index < SETTINGS.rounds; index++) {
      await requestActions(plane.url, workerId, SETTINGS.actions);
      await plane.stop();
      sink.reset();
      plane = await start("on");
      const drained = await sink.waitFor(SETTINGS.actions, 120_000);
      runs.drain.push(perSecond(SETTINGS.actions - 1, drained.first, drained.last));

      sink.reset();
      const cpuBefore = await plane.cpuMicros();
      const requested = performance.now();
      await requestActions(plane.url, workerId, SETTINGS.actions);
      const delivered = await sink.waitFor(SETTINGS.actions, 120_000);
      runs.endToEnd.push(perSecond(SETTINGS.actions, requested, delivered.last));
      runs.endToEndCpuMicros.push(((await plane.cpuMicros()) - cpuBefore) / SETTINGS.actions);

      const failed = (await call(
        `${plane.url}/v1/actions?status=failed&limit=1`,
        "GET",
        undefined,
      )) as {
        actions: unknown[];
      };
      if (failed.actions.length > 0) throw new Error("an action failed during the benchmark");
      await plane.stop();
      plane = await start("off");

      sink.reset();
      await bareSend(sink, SETTINGS.actions);
      const bare = await sink.waitFor(SETTINGS.actions, 120_000);
      runs.bare.push(perSecond(SETTINGS.actions - 1, bare.first, bare.last));
    }
  } finally {
    await plane?.stop();
    await sink.close();
    data.remove();
  }
  const figures = {
    drainActionsPerSecond: round(median(runs.drain)),
    endToEndActionsPerSecond: round(median(runs.endToEnd)),
    bareSendsPerSecond: round(median(runs.bare)),
    /** The control plane's CPU time per action requested over HTTP and executed. */
    endToEndServerCpuMicrosPerAction: round(median(runs.endToEndCpuMicros)),
  };
  const ratios = {
    drainOverBare: round(figures.drainActionsPerSecond / figures.bareSendsPerSecond, 3),
    endToEndOverBare: round(figures.endToEndActionsPerSecond / figures.bareSendsPerSecond, 3),
  };
  console.log("auto-approved actions to a local SMTP server (actions/s):", figures);
  console.log("ratios (governed / bare SMTP sends, same concurrency):", ratios);
  return {
    settings: { ...SETTINGS, database: "sqlite" },
    figures,
    ratios,
    runs: {
      drain: runs.drain.map((value) => round(value)),
      endToEnd: runs.endToEnd.map((value) => round(value)),
      endToEndCpuMicros: runs.endToEndCpuMicros.map((value) => round(value)),
      bare: runs.bare.map((value) => round(value)),
    },
  };
}
