import type { HookManifest, HookRequest, HookResult } from "@plugboard/plugin-sdk";
import { createHookPipeline, type HookPipelineInput } from "@plugboard/runtime";
import { Bench } from "tinybench";

const HOOKS = 10;
/** Requests per benchmark iteration, so tinybench's own per-iteration cost is spread thin. */
const BATCH = 1_000;
const TARGET_OVERHEAD_US = 3;

const input: HookPipelineInput = {
  method: "GET",
  path: "/v1/things",
  headers: { "x-client-id": "client-7" },
  body: null,
};
const request: HookRequest = { ring: "pre_flight", ...input, metadata: {} };
const PASSTHROUGH: HookResult = { action: "passthrough" };

function manifest(index: number): HookManifest {
  return {
    kind: "hook",
    id: `hook.noop-${index}`,
    version: "1.0.0",
    displayName: `No-op ${index}`,
    description: "Passes every request through.",
    owner: "third_party",
    stability: "experimental",
    category: "gateway",
    engines: { plugboard: "^1.0.0" },
    ring: "pre_flight",
    priority: index,
    timeoutMs: 50,
    failMode: index % 2 === 0 ? "open" : "closed",
  };
}

type NoOp<R> = (request: HookRequest, signal: AbortSignal) => R;

/** `createHookPipeline` over `functions`, BATCH requests per call. */
function pipelineOver(functions: readonly NoOp<unknown>[]) {
  const pipeline = createHookPipeline(
    functions.map((invoke, index) => ({ manifest: manifest(index), invoke })),
  );
  return async () => {
    for (let i = 0; i < BATCH; i++) {
      const outcome = await pipeline.run("pre_flight", input);
      if (outcome.outcome !== "continue") throw new Error(`unexpected ${outcome.outcome}`);
    }
  };
}

const signal = new AbortController().signal;

/** The plain loop: each function called in turn, its promise awaited. */
function asyncLoopOver(functions: readonly NoOp<Promise<HookResult>>[]) {
  return async () => {
    for (let i = 0; i < BATCH; i++) {
      for (const invoke of functions) {
        const result = await invoke(request, signal);
        if (result.action !== "passthrough") throw new Error(`unexpected ${result.action}`);
      }
    }
  };
}

/** The plain loop over functions that return their result directly: nothing to await. */
function syncLoopOver(functions: readonly NoOp<HookResult>[]) {
  return async () => {
    for (let i = 0; i < BATCH; i++) {
      for (const invoke of functions) {
        const result = invoke(request, signal);
        if (result.action !== "passthrough") throw new Error(`unexpected ${result.action}`);
      }
    }
  };
}

/**
 * Ten no-op in-process hooks through `createHookPipeline` against a plain loop calling the
 * same ten functions, in the same run: once with async functions (the loop awaits each
 * promise), once with functions that return their result directly (the loop awaits nothing).
 * Half the hooks fail open and half fail closed; every result goes through the check.
 */
export async function runtimeHookBenchmarks() {
  const asyncHooks = Array.from({ length: HOOKS }, () => async () => PASSTHROUGH);
  const syncHooks = Array.from({ length: HOOKS }, () => (): HookResult => PASSTHROUGH);

  const bench = new Bench({ time: 2_000, warmupTime: 500 });
  bench
    .add("pipeline: 10 async no-op hooks", pipelineOver(asyncHooks))
    .add("plain loop: 10 async no-op functions", asyncLoopOver(asyncHooks))
    .add("pipeline: 10 sync no-op hooks", pipelineOver(syncHooks))
    .add("plain loop: 10 sync no-op functions", syncLoopOver(syncHooks));
  await bench.run();

  const microsecondsPerRequest = (name: string) => {
    const result = bench.getTask(name)?.result;
    if (result === undefined || !("latency" in result)) throw new Error(`no result for ${name}`);
    return (result.latency.mean * 1_000) / BATCH;
  };
  const asyncPipelineUs = microsecondsPerRequest("pipeline: 10 async no-op hooks");
  const asyncLoopUs = microsecondsPerRequest("plain loop: 10 async no-op functions");
  const syncPipelineUs = microsecondsPerRequest("pipeline: 10 sync no-op hooks");
  const syncLoopUs = microsecondsPerRequest("plain loop: 10 sync no-op functions");
  const figures = {
    asyncPipelineUsPerRequest: asyncPipelineUs,
    asyncLoopUsPerRequest: asyncLoopUs,
    asyncOverheadUsPerRequest: asyncPipelineUs - asyncLoopUs,
    syncPipelineUsPerRequest: syncPipelineUs,
    syncLoopUsPerRequest: syncLoopUs,
    syncOverheadUsPerRequest: syncPipelineUs - syncLoopUs,
  };
  const ratios = {
    asyncPipelineOverLoop: asyncPipelineUs / asyncLoopUs,
    syncPipelineOverLoop: syncPipelineUs / syncLoopUs,
  };
  console.table(bench.table());
  console.log("figures (µs per request of 10 hooks):", figures);
  console.log("ratios (pipeline time / plain loop time):", ratios);
  console.log(
    `pipeline overhead per request (target <= ${TARGET_OVERHEAD_US} µs): async ${figures.asyncOverheadUsPerRequest.toFixed(2)} µs, sync ${figures.syncOverheadUsPerRequest.toFixed(2)} µs`,
  );
  return { settings: { hooks: HOOKS, batch: BATCH }, figures, ratios };
}
