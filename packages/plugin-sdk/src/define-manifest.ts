import { PlugboardError } from "./errors.js";
import { formatIssues, type ManifestIssue } from "./issues.js";
import type { PluginManifestInput } from "./kinds/built-in-kinds.js";
import { validateManifest } from "./validate-manifest.js";

/** Thrown by `defineManifest` when the manifest is invalid; `issues` has every problem. */
export class ManifestValidationError extends PlugboardError {
  readonly issues: readonly ManifestIssue[];

  constructor(id: string, issues: readonly ManifestIssue[]) {
    super("PLUGBOARD_MANIFEST_INVALID", `manifest ${id} is invalid:\n${formatIssues(issues)}`);
    this.name = "ManifestValidationError";
    this.issues = issues;
  }
}

type KindMember<M> = M extends { kind: infer N }
  ? Extract<PluginManifestInput, { kind: N }>
  : never;

/** Maps every top-level key the kind does not have to `never`, so TypeScript flags it. */
type NoUnknownFields<M> = { [K in Exclude<keyof M, keyof KindMember<M>>]: never };

/**
 * Declares a manifest of a built-in kind. Keeps literal types (`m.kind` narrows,
 * `m.workerPackId` stays `"follow_up_v1"`), puts type errors on the offending field, and
 * checks the manifest at run time, throwing a `ManifestValidationError` listing every issue.
 *
 * @example
 * export default defineManifest({ kind: "hook", id: "hook.rate-limit", ... });
 */
export function defineManifest<const M extends PluginManifestInput>(
  manifest: M & NoUnknownFields<M>,
): M {
  const result = validateManifest(manifest);
  if (!result.success) {
    const id = typeof manifest.id === "string" ? manifest.id : "(without id)";
    throw new ManifestValidationError(id, result.issues);
  }
  return manifest;
}
