import { createHash } from "node:crypto";
import { realpath } from "node:fs/promises";
import { formatPath, type ManifestIssue, type PluginManifest } from "@plugboard/plugin-sdk";
import { z } from "zod";
import type { LifecycleErrorCode } from "./lifecycle-errors.js";
import type { PluginSpec } from "./plugin-spec.js";
import { validatePluginManifest } from "./plugin-spec.js";
import { type ContainedFile, readContainedFile } from "./read-contained-file.js";

/** The manifest file a plugin directory may have at its root instead of a `plugboard` field. */
export const MANIFEST_FILE_NAME = "plugboard.manifest.json";

/** A plugin found on disk, ready to hand to a plugin set. */
export interface DiscoveredPlugin {
  /** The plugin's directory, as found (absolute). */
  readonly dir: string;
  /** The manifest and bundle files that were read, as real paths. */
  readonly manifestFile: string;
  readonly entryFile: string;
  /**
   * The spec. Its key is `<id>@<version>#<digest>`, the digest covering the manifest and the
   * bundle; a host that configures plugins should add its config revision and grants.
   */
  readonly spec: PluginSpec<PluginManifest>;
}

/** Why one directory did not give a plugin. */
export interface DiscoveryProblem {
  readonly dir: string;
  /** The file concerned (the directory itself when none). */
  readonly file: string;
  readonly code: LifecycleErrorCode;
  readonly message: string;
  /** For `invalid_plugin`: each problem in the manifest with its field path. */
  readonly issues: readonly ManifestIssue[];
}

export type PackageRead =
  | { readonly found: "plugin"; readonly plugin: DiscoveredPlugin }
  | { readonly found: "problem"; readonly problem: DiscoveryProblem }
  | { readonly found: "nothing" };

export interface PackageReadLimits {
  readonly maxManifestBytes: number;
  readonly maxBundleBytes: number;
}

/** The `plugboard` field of a plugin package's package.json. */
const PlugboardFieldSchema = z.object({
  plugboard: z
    .strictObject({ manifest: z.string().min(1, { error: "expected a relative path" }) })
    .optional(),
});

function readJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function keyOf(id: string, version: string, manifestText: string, source: string): string {
  const digest = createHash("sha256").update(manifestText).update("\0").update(source);
  return `${id}@${version}#${digest.digest("hex").slice(0, 16)}`;
}

/**
 * Reads the plugin in `dir`, if it is one: a directory whose package.json has a `plugboard`
 * field (`{ "manifest": "<relative path>" }`), or (unless `packageFieldOnly`) one with a
 * `plugboard.manifest.json` at its root. The manifest is validated for the lifecycle, then
 * the bundle at `runtime.entry` is read. Every file must lie inside the directory (symbolic
 * links included) and within its size cap. Never throws.
 */
export async function readPluginPackage(
  dir: string,
  limits: PackageReadLimits,
  options: { readonly packageFieldOnly: boolean },
): Promise<PackageRead> {
  const problem = (
    code: LifecycleErrorCode,
    file: string,
    message: string,
    issues: readonly ManifestIssue[] = [],
  ): PackageRead => ({ found: "problem", problem: { dir, file, code, message, issues } });
  const unread = (read: Extract<ContainedFile, { ok: false }>, missing: LifecycleErrorCode) => {
    const code: LifecycleErrorCode =
      read.reason === "outside"
        ? "path_outside_plugin"
        : read.reason === "too_large"
          ? "file_too_large"
          : missing;
    return problem(code, read.file, read.message);
  };

  let root: string;
  try {
    root = await realpath(dir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return problem("directory_unreadable", dir, `the directory cannot be read: ${message}`);
  }

  let manifestPath: string | undefined;
  const packageJson = await readContainedFile(root, "package.json", limits.maxManifestBytes);
  if (packageJson.ok) {
    const json = readJson(packageJson.text);
    if (!json.ok) {
      return problem(
        "package_invalid",
        packageJson.file,
        `package.json is not JSON: ${json.message}`,
      );
    }
    const field = PlugboardFieldSchema.safeParse(json.value);
    if (!field.success) {
      const issue = field.error.issues[0];
      const path = issue === undefined ? "" : formatPath(issue.path);
      return problem(
        "package_invalid",
        packageJson.file,
        `package.json ${path === "" ? "is not an object" : `field ${path}: ${issue?.message}`}; expected "plugboard": { "manifest": "<relative path to the manifest JSON>" }`,
      );
    }
    manifestPath = field.data.plugboard?.manifest;
  } else if (packageJson.reason !== "missing") {
    return unread(packageJson, "package_invalid");
  }

  let manifestFile: ContainedFile | undefined;
  if (manifestPath !== undefined) {
    manifestFile = await readContainedFile(root, manifestPath, limits.maxManifestBytes);
  } else if (!options.packageFieldOnly) {
    const atRoot = await readContainedFile(root, MANIFEST_FILE_NAME, limits.maxManifestBytes);
    if (!atRoot.ok && atRoot.reason === "missing") return { found: "nothing" };
    manifestFile = atRoot;
  }
  if (manifestFile === undefined) return { found: "nothing" };
  if (!manifestFile.ok) return unread(manifestFile, "manifest_missing");

  const json = readJson(manifestFile.text);
  if (!json.ok) {
    return problem(
      "manifest_not_json",
      manifestFile.file,
      `the manifest is not JSON: ${json.message}`,
    );
  }
  const validation = validatePluginManifest(json.value);
  if (!validation.ok) {
    const detail = validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    return problem(
      "invalid_plugin",
      manifestFile.file,
      `the manifest cannot be run: ${detail}`,
      validation.issues,
    );
  }
  const { id, version, entry } = validation.plugin;
  const bundle = await readContainedFile(root, entry, limits.maxBundleBytes);
  if (!bundle.ok) return unread(bundle, "bundle_missing");
  return {
    found: "plugin",
    plugin: {
      dir,
      manifestFile: manifestFile.file,
      entryFile: bundle.file,
      spec: {
        manifest: validation.manifest,
        source: bundle.text,
        key: keyOf(id, version, manifestFile.text, bundle.text),
      },
    },
  };
}
