import { PackageNameSchema } from "@plugboard/contracts";
import { z } from "zod";
import type { PackageFile } from "./tar-reader.js";

/** Where a package carries its Plugboard manifest: a JSON file at the package root. */
export const MANIFEST_FILE = "plugboard.manifest.json";

const PackageJsonSchema = z.object({ name: PackageNameSchema, version: z.string().min(1) });

/** A package's identity from its package.json, its manifest file (if any) and its files. */
export interface PackageContents {
  readonly name: string;
  readonly version: string;
  /** The parsed `plugboard.manifest.json`; undefined when the package has none. */
  readonly manifest: unknown;
  readonly files: readonly PackageFile[];
}

/** Why a package's own files could not be read; the message names the file. */
export class PackageContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PackageContentError";
  }
}

function parseJsonFile(files: readonly PackageFile[], path: string): unknown {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) return undefined;
  try {
    return JSON.parse(file.content.toString("utf8"));
  } catch {
    throw new PackageContentError(`${path} at the package root is not valid JSON`);
  }
}

/** Reads package.json (name and version) and the manifest file from unpacked files. */
export function readPackageContents(files: readonly PackageFile[]): PackageContents {
  const packageJson = parseJsonFile(files, "package.json");
  if (packageJson === undefined) {
    throw new PackageContentError("the package has no package.json at its root");
  }
  const identity = PackageJsonSchema.safeParse(packageJson);
  if (!identity.success) {
    throw new PackageContentError(
      "package.json at the package root needs a valid npm package name and a version",
    );
  }
  return {
    name: identity.data.name,
    version: identity.data.version,
    manifest: parseJsonFile(files, MANIFEST_FILE),
    files,
  };
}
