import { createRequire } from "node:module";
import { firstPartyManifests } from "@plugboard/plugin-manifests";
import { checkRegistry, validateManifest } from "@plugboard/plugin-sdk";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Bench } from "tinybench";
import { generateManifests } from "./generate-manifests.js";

const require = createRequire(import.meta.url);

function ajvValidator() {
  const schema = require("@plugboard/plugin-sdk/manifest.schema.json");
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  return ajv.compile(schema);
}

function assertAllValid(
  label: string,
  inputs: readonly unknown[],
  validate: (m: unknown) => boolean,
) {
  const invalid = inputs.filter((input) => !validate(input)).length;
  if (invalid > 0) throw new Error(`${label}: ${invalid} inputs unexpectedly invalid`);
}

/**
 * validateManifest against ajv on the exported JSON Schema (same inputs, same run), and
 * checkRegistry over 10,000 manifests.
 */
export async function manifestRegistryBenchmarks() {
  const ajvValidate = ajvValidator();
  const generated = JSON.parse(JSON.stringify(generateManifests(10_000))) as unknown[];
  const firstParty = JSON.parse(JSON.stringify(firstPartyManifests)) as unknown[];
  const zodValid = (m: unknown) => validateManifest(m).success;
  const ajvValid = (m: unknown) => ajvValidate(m) === true;
  for (const [label, inputs] of [
    ["first-party", firstParty],
    ["generated", generated],
  ] as const) {
    assertAllValid(`zod ${label}`, inputs, zodValid);
    assertAllValid(`ajv ${label}`, inputs, ajvValid);
  }

  const bench = new Bench({ time: 2_000, warmupTime: 500 });
  bench
    .add("validateManifest: first-party set", () => {
      for (const m of firstParty) validateManifest(m);
    })
    .add("ajv: first-party set", () => {
      for (const m of firstParty) ajvValidate(m);
    })
    .add("validateManifest: 10,000 generated", () => {
      for (const m of generated) validateManifest(m);
    })
    .add("ajv: 10,000 generated", () => {
      for (const m of generated) ajvValidate(m);
    });
  await bench.run();

  const meanMs = (name: string) => {
    const task = bench.getTask(name);
    const result = task?.result;
    if (result === undefined || !("latency" in result)) throw new Error(`no result for ${name}`);
    return result.latency.mean;
  };

  const checked = checkRegistry(generated);
  if (!checked.success) {
    throw new Error(
      `generated registry has problems: ${JSON.stringify(checked.problems.slice(0, 3))}`,
    );
  }
  // Raw: fresh JSON each run, so every manifest is parsed. Validated: the manifests a host
  // holds after install (validateManifest output), so only the graph rules run.
  const median = (inputs: () => readonly unknown[]) => {
    const runs: number[] = [];
    for (let i = 0; i < 15; i++) {
      const batch = inputs();
      const start = performance.now();
      checkRegistry(batch);
      runs.push(performance.now() - start);
    }
    runs.sort((a, b) => a - b);
    return runs[Math.floor(runs.length / 2)] ?? Number.NaN;
  };
  const generatedJson = JSON.stringify(generated);
  const rawMedian = median(() => JSON.parse(generatedJson) as unknown[]);
  const validatedSet = checked.graph.manifests;
  const validatedMedian = median(() => validatedSet);

  const figures = {
    firstPartyCount: firstParty.length,
    validateFirstPartyMs: meanMs("validateManifest: first-party set"),
    ajvFirstPartyMs: meanMs("ajv: first-party set"),
    validateGeneratedMs: meanMs("validateManifest: 10,000 generated"),
    ajvGeneratedMs: meanMs("ajv: 10,000 generated"),
    checkRegistry10kRawJsonMedianMs: rawMedian,
    checkRegistry10kValidatedMedianMs: validatedMedian,
  };
  const ratios = {
    firstPartyZodOverAjv: figures.validateFirstPartyMs / figures.ajvFirstPartyMs,
    generatedZodOverAjv: figures.validateGeneratedMs / figures.ajvGeneratedMs,
  };
  console.table(bench.table());
  console.log("figures (ms):", figures);
  console.log("ratios (validateManifest time / ajv time; target <= 2):", ratios);
  console.log(
    `checkRegistry over 10,000 manifests (target < 100 ms): validated ${validatedMedian.toFixed(1)} ms, raw JSON ${rawMedian.toFixed(1)} ms`,
  );
  return { figures, ratios };
}
