import type { HookRequest, HookResult } from "@plugboard/plugin-sdk";
import { createIsolateSandbox, createPluginContext, type Sandbox } from "@plugboard/runtime";
import { Bench } from "tinybench";
import { median } from "./median.js";

/** Calls per benchmark iteration, so tinybench's own per-iteration cost is spread thin. */
const BATCH = 1_000;
/** Calls in flight at once for the pipelined figure. */
const IN_FLIGHT = 64;
const COLD_STARTS = 41;
const TARGET_OVERHEAD_US = 25;
const TARGET_COLD_START_MS = 10;

const request: HookRequest = {
  ring: "pre_flight",
  method: "GET",
  path: "/v1/things",
  headers: { "x-client-id": "client-7", accept: "application/json" },
  body: { item: "book", quantity: 1 },
  metadata: {},
};

// The same hook-like function in both places: the source below is what the sandbox loads.
const RUN = `(request) => ({ action: "modify", headers: { ...request.headers, "x-seen": request.path } })`;
const inProcessRun: (request: HookRequest) => HookResult = (input) => ({
  action: "modify",
  headers: { ...input.headers, "x-seen": input.path },
});
const SOURCE = `import { definePlugin } from "@plugboard/plugin-sdk";
export default definePlugin({ manifest: { id: "hook.bench" }, setup: () => ({ run: ${RUN} }) });`;
const MANIFEST = { id: "hook.bench", version: "1.0.0", kind: "hook" } as const;

function sandboxFor(dispatch: "inline" | "thread"): Sandbox {
  return createIsolateSandbox({
    manifest: MANIFEST,
    source: SOURCE,
    context: createPluginContext({ manifest: MANIFEST, services: { log: () => {} } }),
    limits: { dispatch },
  });
}

function expectModified(result: unknown): void {
  if (typeof result !== "object" || result === null || !("action" in result)) {
    throw new Error("unexpected result");
  }
  if (result.action !== "modify") throw new Error(`unexpected ${String(result.action)}`);
}

/** Milliseconds from creating a sandbox to the first call's result, each in a fresh isolate. */
async function coldStarts(): Promise<number[]> {
  const runs: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const start = performance.now();
    const sandbox = sandboxFor("thread");
    expectModified(await sandbox.call("run", [request]));
    runs.push(performance.now() - start);
    sandbox.dispose();
  }
  return runs;
}

/**
 * A hook-like function with a small payload, called in the sandbox against the same function
 * called in-process, in the same run: dispatched inline (the synchronous part on the calling
 * thread) and on isolated-vm's thread pool, one call at a time and with 64 in flight. Results
 * are not checked by the sandbox (`checkResult: false`), as the hook pipeline checks them for
 * in-process and sandboxed hooks alike. Then cold start: a new sandbox to its first result.
 */
export async function runtimeSandboxBenchmarks() {
  const inline = sandboxFor("inline");
  const thread = sandboxFor("thread");
  await inline.load();
  await thread.load();
  const options = { checkResult: false } as const;

  const bench = new Bench({ time: 2_000, warmupTime: 500 });
  bench
    .add("in-process: hook function", async () => {
      for (let i = 0; i < BATCH; i++) expectModified(await inProcessRun(request));
    })
    .add("sandbox, inline: hook function", async () => {
      for (let i = 0; i < BATCH; i++) expectModified(await inline.call("run", [request], options));
    })
    .add("sandbox, thread: hook function", async () => {
      for (let i = 0; i < BATCH; i++) expectModified(await thread.call("run", [request], options));
    })
    .add(`sandbox, thread: ${IN_FLIGHT} calls in flight`, async () => {
      for (let i = 0; i < BATCH / IN_FLIGHT; i++) {
        const results = await Promise.all(
          Array.from({ length: IN_FLIGHT }, () => thread.call("run", [request], options)),
        );
        for (const result of results) expectModified(result);
      }
    });
  await bench.run();
  inline.dispose();
  thread.dispose();

  const microsecondsPerCall = (name: string, calls: number) => {
    const result = bench.getTask(name)?.result;
    if (result === undefined || !("latency" in result)) throw new Error(`no result for ${name}`);
    return (result.latency.mean * 1_000) / calls;
  };
  const inProcessUs = microsecondsPerCall("in-process: hook function", BATCH);
  const inlineUs = microsecondsPerCall("sandbox, inline: hook function", BATCH);
  const threadUs = microsecondsPerCall("sandbox, thread: hook function", BATCH);
  const pipelinedUs = microsecondsPerCall(
    `sandbox, thread: ${IN_FLIGHT} calls in flight`,
    Math.floor(BATCH / IN_FLIGHT) * IN_FLIGHT,
  );

  const starts = await coldStarts();
  const sorted = [...starts].sort((a, b) => a - b);
  const figures = {
    inProcessUsPerCall: inProcessUs,
    inlineUsPerCall: inlineUs,
    inlineOverheadUsPerCall: inlineUs - inProcessUs,
    threadUsPerCall: threadUs,
    threadOverheadUsPerCall: threadUs - inProcessUs,
    threadPipelinedUsPerCall: pipelinedUs,
    coldStartMedianMs: median(starts),
    coldStartP90Ms: sorted[Math.floor(sorted.length * 0.9)] ?? Number.NaN,
  };
  const ratios = {
    inlineOverInProcess: inlineUs / inProcessUs,
    threadOverInProcess: threadUs / inProcessUs,
  };
  console.table(bench.table());
  console.log("figures (µs per call; cold start in ms):", figures);
  console.log("ratios (sandboxed call time / in-process call time):", ratios);
  console.log(
    `per-call overhead (target <= ${TARGET_OVERHEAD_US} µs): inline ${figures.inlineOverheadUsPerCall.toFixed(1)} µs, thread ${figures.threadOverheadUsPerCall.toFixed(1)} µs, thread with ${IN_FLIGHT} in flight ${pipelinedUs.toFixed(1)} µs`,
  );
  console.log(
    `cold start to first call (target <= ${TARGET_COLD_START_MS} ms median): ${figures.coldStartMedianMs.toFixed(2)} ms median, ${figures.coldStartP90Ms.toFixed(2)} ms p90`,
  );
  return { figures, ratios };
}
