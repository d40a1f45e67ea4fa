import semver from "semver";
import type { ManifestBase } from "../base-fields.js";
import type { KindProblem } from "../kinds/define-kind.js";

// Most manifests share a handful of ranges; semver parsing dominates a large check otherwise.
const verdicts = new Map<string, "ok" | "unsatisfiable" | "incompatible">();

function rangeVerdict(range: string, hostVersion: string | undefined) {
  const cacheKey = `${range}\u0000${hostVersion ?? ""}`;
  let verdict = verdicts.get(cacheKey);
  if (verdict === undefined) {
    verdict =
      semver.validRange(range) === null || semver.minVersion(range) === null
        ? "unsatisfiable"
        : hostVersion !== undefined && !semver.satisfies(hostVersion, range)
          ? "incompatible"
          : "ok";
    if (verdicts.size > 1_000) verdicts.clear();
    verdicts.set(cacheKey, verdict);
  }
  return verdict;
}

/** Problems inside one manifest, across its base fields, that no schema can express. */
export function manifestConsistencyProblems(
  manifest: ManifestBase,
  plugboardVersion: string | undefined,
): KindProblem[] {
  const problems: KindProblem[] = [];

  const stepIds = new Set<string>();
  manifest.setupSteps?.forEach((step, index) => {
    if (stepIds.has(step.id)) {
      problems.push({
        path: `setupSteps[${index}].id`,
        code: "duplicate_setup_step_id",
        message: `setup step id "${step.id}" is used twice in this plugin`,
      });
    }
    stepIds.add(step.id);
  });

  const properties = manifest.configSchema?.properties ?? {};
  manifest.configSchema?.required?.forEach((key, index) => {
    if (!Object.hasOwn(properties, key)) {
      problems.push({
        path: `configSchema.required[${index}]`,
        code: "unknown_config_property",
        message: `"${key}" is required but not declared in configSchema.properties`,
      });
    }
  });
  for (const key of Object.keys(manifest.uiSchema ?? {})) {
    if (!Object.hasOwn(properties, key)) {
      problems.push({
        path: `uiSchema.${key}`,
        code: "unknown_config_property",
        message: `"${key}" has a UI hint but is not declared in configSchema.properties`,
      });
    }
  }
  const secrets = new Set(manifest.secretKeys ?? []);
  for (const key of Object.keys(properties)) {
    if (secrets.has(key)) {
      problems.push({
        path: `configSchema.properties.${key}`,
        code: "secret_in_config",
        message: `"${key}" is a secret key; secrets are named in secretKeys, never in configSchema`,
      });
    }
  }

  const range = manifest.engines.plugboard;
  const verdict = rangeVerdict(range, plugboardVersion);
  if (verdict === "unsatisfiable") {
    problems.push({
      path: "engines.plugboard",
      code: "engines_unsatisfiable",
      message: `range "${range}" admits no version`,
    });
  } else if (verdict === "incompatible") {
    problems.push({
      path: "engines.plugboard",
      code: "engines_incompatible",
      message: `range "${range}" does not admit this host's plugin API version ${plugboardVersion}`,
    });
  }
  return problems;
}
