import { expect } from "vitest";
import type { BuiltInKind } from "../kinds/built-in-kinds.js";
import {
  type CheckRegistryOptions,
  checkRegistry,
  type RegistryProblem,
} from "../registry/check-registry.js";
import { allExamples } from "./example-manifests.js";

/** The clean example registry with `changed` manifests swapped in by id, or added. */
export function registryWith(
  ...changed: Array<Record<string, unknown>>
): Array<Record<string, unknown>> {
  const examples = allExamples();
  const ids = new Set(examples.map((manifest) => manifest.id));
  return [
    ...examples.map((manifest) => changed.find((c) => c.id === manifest.id) ?? manifest),
    ...changed.filter((manifest) => !ids.has(manifest.id)),
  ];
}

export function problemsOf(
  manifests: readonly unknown[],
  options: CheckRegistryOptions<BuiltInKind> = {},
): readonly RegistryProblem[] {
  const result = checkRegistry(manifests, options);
  if (result.success) throw new Error("expected the registry to be rejected");
  return result.problems;
}

export function problem(manifestId: string, path: string, code: string, message?: string) {
  return { manifestId, path, code, message: message ?? expect.any(String) };
}
