import {
  type AnyKindDefinition,
  type BuiltInKind,
  type KindSet,
  type ManifestIssue,
  type ManifestOf,
  ModuleRuntimeSchema,
  PLUGBOARD_API_VERSION,
  type PluginManifest,
  validateManifest,
} from "@plugboard/plugin-sdk";
import semver from "semver";
import { z } from "zod";

/**
 * What a host wants run: a plugin's manifest, its bundle and a key. The manifest is of any
 * kind with a module runtime (`runtime: { type: "module", entry }`); it is validated again
 * before it loads. Hand over a manifest that nothing changes afterwards, such as what
 * `validateManifest` returned (deeply frozen).
 */
export interface PluginSpec<M extends object = PluginManifest> {
  readonly manifest: M;
  /** The bundle: one ES module that default-exports `definePlugin(...)`. */
  readonly source: string;
  /**
   * The host's name for this exact instance: it must change whenever anything that affects
   * the running plugin changes (version, bundle digest, config revision, grants). A swap
   * reuses a loaded instance with the same plugin id and key instead of loading it again.
   */
  readonly key: string;
}

/** The fields of a validated manifest the lifecycle manager reads. */
export interface PluginIdentity {
  readonly id: string;
  readonly version: string;
  readonly kind: string;
  /** The bundle's path in the plugin package, from `runtime.entry`. */
  readonly entry: string;
}

export type PluginManifestValidation<M> =
  | { readonly ok: true; readonly manifest: M; readonly plugin: PluginIdentity }
  | { readonly ok: false; readonly issues: readonly ManifestIssue[] };

export interface PluginValidationOptions<K extends AnyKindDefinition = BuiltInKind> {
  /** The kinds to accept; the built-in kinds when omitted. */
  readonly kinds?: KindSet<K>;
}

/** What every validated manifest has, read again as a schema so the result is typed. */
const IdentitySchema = z.object({
  id: z.string(),
  version: z.string(),
  kind: z.string(),
  engines: z.object({ plugboard: z.string() }),
  runtime: z.unknown().optional(),
});

function runtimeIssue(runtime: unknown): ManifestIssue {
  if (runtime === undefined) {
    return {
      path: "runtime",
      code: "module_runtime_missing",
      message:
        'expected a module runtime ({ type: "module", entry }) for the lifecycle manager to load, received nothing (the field is missing)',
    };
  }
  return {
    path: "runtime.type",
    code: "module_runtime_missing",
    message:
      'expected "module": the lifecycle manager loads module runtimes only (a declarative HTTP runtime runs in the HTTP interpreter)',
  };
}

/**
 * The lifecycle's validation step: `validateManifest`, then the checks that make a manifest
 * runnable here. `engines.plugboard` must admit the plugin API version this runtime
 * implements (`PLUGBOARD_API_VERSION`), and the manifest must have a module runtime. Never
 * throws; every problem comes with its field path.
 */
export function validatePluginManifest<K extends AnyKindDefinition = BuiltInKind>(
  input: unknown,
  options: PluginValidationOptions<K> = {},
): PluginManifestValidation<ManifestOf<K>> {
  const validation = validateManifest(input, options);
  if (!validation.success) return { ok: false, issues: validation.issues };
  const identity = IdentitySchema.safeParse(validation.manifest);
  if (!identity.success) {
    return {
      ok: false,
      issues: [{ path: "", code: "invalid_type", message: "expected a manifest with an id" }],
    };
  }
  const { id, version, kind, engines, runtime } = identity.data;
  const issues: ManifestIssue[] = [];
  const range = engines.plugboard;
  if (semver.validRange(range) === null || !semver.satisfies(PLUGBOARD_API_VERSION, range)) {
    issues.push({
      path: "engines.plugboard",
      code: "engines_incompatible",
      message: `range "${range}" does not admit the plugin API version ${PLUGBOARD_API_VERSION} this runtime implements`,
    });
  }
  const module = ModuleRuntimeSchema.safeParse(runtime);
  if (!module.success) issues.push(runtimeIssue(runtime));
  if (issues.length > 0 || !module.success) return { ok: false, issues };
  return {
    ok: true,
    manifest: validation.manifest,
    plugin: { id, version, kind, entry: module.data.entry },
  };
}

/** What the spec itself must hold besides a runnable manifest. */
function specIssues(spec: PluginSpec<object>): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  if (typeof spec.key !== "string" || spec.key.length === 0) {
    issues.push({ path: "key", code: "invalid_key", message: "expected a non-empty string" });
  }
  if (typeof spec.source !== "string" || spec.source.length === 0) {
    issues.push({
      path: "source",
      code: "invalid_source",
      message: "expected the bundle's text, received nothing",
    });
  }
  return issues;
}

export type PluginSpecValidation =
  | { readonly ok: true; readonly plugin: PluginIdentity }
  | { readonly ok: false; readonly issues: readonly ManifestIssue[] };

/**
 * Validates a whole spec: its manifest (see `validatePluginManifest`), a non-empty `key` and
 * a non-empty `source`. Issue paths of the manifest are as the author wrote them
 * (`engines.plugboard`); `key` and `source` are the spec's own fields.
 */
export function validatePluginSpec(
  spec: PluginSpec<object>,
  options: PluginValidationOptions<AnyKindDefinition> = {},
): PluginSpecValidation {
  const manifest = validatePluginManifest(spec.manifest, options);
  const issues = [...(manifest.ok ? [] : manifest.issues), ...specIssues(spec)];
  if (!manifest.ok || issues.length > 0) return { ok: false, issues };
  return { ok: true, plugin: manifest.plugin };
}

const LooseIdentitySchema = z
  .object({ id: z.string().catch(""), version: z.string().catch("") })
  .catch({ id: "", version: "" });

/** The id and version a spec names, read without validating it (empty when absent). */
export function specIdentity(spec: PluginSpec<object>): {
  readonly id: string;
  readonly version: string;
} {
  return LooseIdentitySchema.parse(spec.manifest);
}
