import { mkdirSync, writeFileSync } from "node:fs";
import { manifestRegistryBenchmarks } from "./manifest-validation.bench.js";

// Runs every benchmark group and writes the figures to bench/results/<group>.json.
const results = { manifests: await manifestRegistryBenchmarks() };
mkdirSync(new URL("../results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("../results/manifests.json", import.meta.url),
  `${JSON.stringify(results.manifests, null, 2)}\n`,
);
