import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { z } from "zod";
import { bundleOf, packageTarball } from "./package-tarball.js";

const PackageJsonSchema = z.object({ name: z.string(), version: z.string() });

/**
 * An example plugin of `examples/` as its build wrote it (`pnpm --filter "./examples/*"
 * build`), packed as npm packs it: the install request's `manifest` and `bundle`.
 */
export function builtExample(packageName: string) {
  const root = dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
  const read = (path: string) => {
    try {
      return readFileSync(join(root, path), "utf8");
    } catch {
      throw new Error(`${packageName} has no ${path}: build the examples first`);
    }
  };
  const { name, version } = PackageJsonSchema.parse(JSON.parse(read("package.json")));
  const manifestText = read("dist/plugboard.manifest.json");
  const manifest: unknown = JSON.parse(manifestText);
  const tarball = packageTarball({
    name,
    version,
    manifest,
    files: {
      "dist/plugin.js": read("dist/plugin.js"),
      "dist/plugboard.manifest.json": manifestText,
    },
  });
  return { manifest, bundle: bundleOf(tarball) };
}
