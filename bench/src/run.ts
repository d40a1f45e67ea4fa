import { mkdirSync, writeFileSync } from "node:fs";
import { actionExecutionBenchmarks } from "./action-execution.bench.js";
import { controlPlaneBenchmarks } from "./control-plane.bench.js";
import { hotSwapBenchmarks } from "./hot-swap.bench.js";
import { manifestRegistryBenchmarks } from "./manifest-validation.bench.js";
import { runtimeHookBenchmarks } from "./runtime-hooks.bench.js";
import { runtimeSandboxBenchmarks } from "./runtime-sandbox.bench.js";
import { webhookIngestBenchmarks } from "./webhook-ingest.bench.js";

// Runs every benchmark group, or those named on the command line
// (`pnpm bench -- control-plane`), and writes each group's figures to
// bench/results/<group>.json.
const GROUPS = {
  manifests: manifestRegistryBenchmarks,
  "control-plane": controlPlaneBenchmarks,
  actions: actionExecutionBenchmarks,
  "runtime-hooks": runtimeHookBenchmarks,
  "runtime-sandbox": runtimeSandboxBenchmarks,
  webhooks: webhookIngestBenchmarks,
  "hot-swap": hotSwapBenchmarks,
} as const;
type GroupName = keyof typeof GROUPS;

const isGroupName = (name: string): name is GroupName => Object.hasOwn(GROUPS, name);
const requested = process.argv.slice(2).filter((arg) => arg !== "--");
const unknown = requested.filter((name) => !isGroupName(name));
if (unknown.length > 0) {
  throw new Error(
    `unknown benchmark group ${unknown.join(", ")}; expected one of ${Object.keys(GROUPS).join(", ")}`,
  );
}
const selected = requested.length === 0 ? Object.keys(GROUPS) : requested;

mkdirSync(new URL("../results/", import.meta.url), { recursive: true });
for (const name of selected.filter(isGroupName)) {
  const result = await GROUPS[name]();
  writeFileSync(
    new URL(`../results/${name}.json`, import.meta.url),
    `${JSON.stringify(result, null, 2)}\n`,
  );
}
