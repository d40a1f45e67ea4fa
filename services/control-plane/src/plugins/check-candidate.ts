import type { ManifestValidationResult, RegistryEntry } from "@plugboard/contracts";
import { checkRegistry, validateManifest } from "@plugboard/plugin-sdk";

/** Problems a manifest has with the others, as opposed to problems inside it. */
const GRAPH_CODES = new Set([
  "duplicate_id",
  "duplicate_value",
  "unresolved_reference",
  "provider_not_write_capable",
  "hook_order_cycle",
  "hook_order_cross_ring",
]);

function manifestOf(entry: RegistryEntry): unknown {
  const { installation: _installation, ...manifest } = entry;
  return manifest;
}

/** Checks a manifest alone and against the current registry; changes nothing. */
export async function checkCandidate(
  candidate: unknown,
  entries: readonly RegistryEntry[],
): Promise<ManifestValidationResult> {
  const own = validateManifest(candidate);
  if (!own.success) return { valid: false, issues: [...own.issues], problems: [] };
  const id = own.manifest.id;
  // The candidate replaces an installed plugin with the same id, as an upgrade would.
  const set = [...entries.filter((entry) => entry.id !== id).map(manifestOf), own.manifest];
  const result = checkRegistry(set);
  const found = result.success ? [] : result.problems;
  const issues = found
    .filter((problem) => problem.manifestId === id && !GRAPH_CODES.has(problem.code))
    .map(({ path, message, code }) => ({ path, message, code }));
  const problems = found.filter(
    (problem) => problem.manifestId !== id || GRAPH_CODES.has(problem.code),
  );
  return { valid: issues.length === 0 && problems.length === 0, issues, problems: [...problems] };
}
