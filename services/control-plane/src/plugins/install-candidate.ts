import type {
  Issue,
  PluginBundle,
  PluginInstallRequest,
  PluginPackageRef,
} from "@plugboard/contracts";
import {
  PLUGBOARD_API_VERSION,
  type PluginManifest,
  validateManifest,
} from "@plugboard/plugin-sdk";
import semver from "semver";
import { ApiError } from "../http/problem-handler.js";
import { matchesIntegrity, sha512Integrity } from "../plugin-packages/integrity.js";
import {
  DEFAULT_REGISTRY_LIMITS,
  fetchPackage,
  PackageFetchError,
} from "../plugin-packages/npm-registry-client.js";
import { isPackageAllowed } from "../plugin-packages/package-allowlist.js";
import {
  MANIFEST_FILE,
  PackageContentError,
  type PackageContents,
  readPackageContents,
} from "../plugin-packages/package-contents.js";
import {
  type PackageFile,
  readPackageTarball,
  UnsafeTarballError,
} from "../plugin-packages/tar-reader.js";
import { joinPath } from "./registry-issues.js";

/** Where packages may come from: the host's allowlist and npm-compatible registry. */
export interface PackageSources {
  readonly allowlist: readonly string[];
  readonly npmRegistry: string;
}

/** A manifest that passed every check that needs no database, with its unpacked files. */
export interface InstallCandidate {
  readonly manifest: PluginManifest;
  readonly source: "manifest" | "bundle" | "registry" | "directory";
  readonly packageName: string | null;
  /** The sha512 integrity the files were verified against; null without files. */
  readonly integrity: string | null;
  readonly files: readonly PackageFile[] | null;
}

function refuse(path: string, code: string, message: string): never {
  throw new ApiError("PLUGBOARD_VALIDATION_FAILED", message, [{ path, message, code }]);
}

function validated(input: unknown, from: string): PluginManifest {
  const result = validateManifest(input);
  if (result.success) return result.manifest;
  const errors: Issue[] = result.issues.map((issue) => ({
    path: joinPath("manifest", issue.path),
    message: issue.message,
    code: issue.code,
  }));
  throw new ApiError("PLUGBOARD_VALIDATION_FAILED", `the manifest${from} is invalid`, errors);
}

/** Unpacks a tarball whose digest was already checked; `path` is the field it came from. */
function unpack(tarball: Buffer, path: string): PackageContents {
  try {
    return readPackageContents(readPackageTarball(tarball));
  } catch (error) {
    if (error instanceof UnsafeTarballError) refuse(path, "tarball_unsafe", error.message);
    if (error instanceof PackageContentError) refuse(path, "package_invalid", error.message);
    throw error;
  }
}

function fromBundle(input: unknown, bundle: PluginBundle, sources: PackageSources) {
  const manifest = validated(input, "");
  const tarball = Buffer.from(bundle.tarball, "base64");
  // The digest is checked before a single byte of the tarball is interpreted.
  if (!matchesIntegrity(tarball, bundle.integrity)) {
    refuse(
      "bundle.integrity",
      "integrity_mismatch",
      `the tarball's digest is ${sha512Integrity(tarball)}, not the integrity given; nothing in it was read`,
    );
  }
  const contents = unpack(tarball, "bundle.tarball");
  if (!isPackageAllowed(contents.name, sources.allowlist)) {
    refuse(
      "bundle.tarball",
      "package_not_allowed",
      `package ${contents.name} (the tarball's package.json name) is not on this host's install allowlist`,
    );
  }
  // A package that carries its own manifest is installed with that manifest or not at all:
  // a request must not run a package's code under other permissions than it declares.
  if (contents.manifest !== undefined) {
    const packaged = validateManifest(contents.manifest);
    if (!packaged.success || canonicalJson(packaged.manifest) !== canonicalJson(manifest)) {
      refuse(
        "manifest",
        "manifest_mismatch",
        `the manifest differs from the package's own ${MANIFEST_FILE}; send that one, or none in the package`,
      );
    }
  }
  return {
    manifest,
    packageName: contents.name,
    integrity: sha512Integrity(tarball),
    files: contents.files,
  };
}

/** JSON with object keys sorted, so two equal values give the same text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

async function fromRegistry(ref: PluginPackageRef, sources: PackageSources) {
  const label = `${ref.name}@${ref.version}`;
  // Refused before anything is downloaded.
  if (!isPackageAllowed(ref.name, sources.allowlist)) {
    refuse(
      "package.name",
      "package_not_allowed",
      `package ${ref.name} is not on this host's install allowlist`,
    );
  }
  let fetched: Awaited<ReturnType<typeof fetchPackage>>;
  try {
    fetched = await fetchPackage(
      sources.npmRegistry,
      ref.name,
      ref.version,
      DEFAULT_REGISTRY_LIMITS,
    );
  } catch (error) {
    if (!(error instanceof PackageFetchError)) throw error;
    const issue = { path: error.path, message: error.message, code: `package_${error.reason}` };
    if (error.reason === "unavailable") {
      throw new ApiError("PLUGBOARD_UNAVAILABLE", error.message, [issue]);
    }
    throw new ApiError("PLUGBOARD_VALIDATION_FAILED", error.message, [issue]);
  }
  if (!matchesIntegrity(fetched.tarball, fetched.integrity)) {
    refuse(
      "package",
      "integrity_mismatch",
      `the tarball of ${label} does not match the sha512 integrity the registry declares; nothing in it was read`,
    );
  }
  const contents = unpack(fetched.tarball, "package");
  if (contents.name !== ref.name || contents.version !== ref.version) {
    refuse(
      "package",
      "package_mismatch",
      `the registry served ${contents.name}@${contents.version} for ${label}`,
    );
  }
  if (contents.manifest === undefined) {
    refuse("package", "manifest_missing", `${label} has no ${MANIFEST_FILE} at its root`);
  }
  const manifest = validated(contents.manifest, ` in ${MANIFEST_FILE} of ${label}`);
  return {
    manifest,
    packageName: ref.name,
    integrity: sha512Integrity(fetched.tarball),
    files: contents.files,
  };
}

/** Checks that need only the manifest and its files: owner, engines, module entry. */
export function checkInstallable(candidate: InstallCandidate): InstallCandidate {
  const { manifest, files } = candidate;
  if (manifest.owner !== "third_party") {
    refuse(
      "manifest.owner",
      "owner_not_third_party",
      `expected "third_party": plugins installed through the API are third-party, not "${manifest.owner}"`,
    );
  }
  const range = manifest.engines.plugboard;
  if (!semver.satisfies(PLUGBOARD_API_VERSION, range, { includePrerelease: true })) {
    refuse(
      "manifest.engines.plugboard",
      "engines_incompatible",
      `"${range}" does not admit plugin API ${PLUGBOARD_API_VERSION}, which this host implements`,
    );
  }
  const runtime = "runtime" in manifest ? manifest.runtime : undefined;
  if (runtime?.type === "module") {
    if (files === null) {
      refuse(
        "bundle",
        "bundle_required",
        `the manifest's runtime is a module (${runtime.entry}); send its package tarball as bundle`,
      );
    }
    if (!files.some((file) => file.path === runtime.entry)) {
      refuse("manifest.runtime.entry", "entry_missing", `the package has no file ${runtime.entry}`);
    }
  }
  return candidate;
}

/**
 * Reads an install request into a candidate: exactly one source, the package on the
 * allowlist, its tarball matching its sha512 integrity before it is unpacked, unpacked
 * safely, and a valid manifest this host can run. Changes nothing.
 */
export async function resolveInstallCandidate(
  body: PluginInstallRequest,
  sources: PackageSources,
): Promise<InstallCandidate> {
  if (body.package !== undefined) {
    if (body.manifest !== undefined || body.bundle !== undefined) {
      refuse(
        "package",
        "sources_exclusive",
        "send either package, or manifest with an optional bundle, not both",
      );
    }
    const found = await fromRegistry(body.package, sources);
    return checkInstallable({ ...found, source: "registry" });
  }
  if (body.manifest === undefined) {
    refuse("manifest", "required", "expected a manifest, or a package to install it from");
  }
  if (body.bundle === undefined) {
    const manifest = validated(body.manifest, "");
    return checkInstallable({
      manifest,
      source: "manifest",
      packageName: null,
      integrity: null,
      files: null,
    });
  }
  const found = fromBundle(body.manifest, body.bundle, sources);
  return checkInstallable({ ...found, source: "bundle" });
}
