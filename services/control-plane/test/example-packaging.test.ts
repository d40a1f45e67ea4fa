import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXAMPLES = readdirSync(join(ROOT, "examples"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(ROOT, "examples", entry.name));

const PackageJsonSchema = z.object({
  name: z.string(),
  version: z.string(),
  dependencies: z.record(z.string(), z.string()).default({}),
  devDependencies: z.record(z.string(), z.string()).default({}),
});
const TsconfigSchema = z.object({ extends: z.union([z.string(), z.array(z.string())]).optional() });

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

/** The workspace's own packages, by name: what an example may depend on. */
function workspacePackages(): Map<string, { version: string; dir: string }> {
  const packages = new Map<string, { version: string; dir: string }>();
  for (const group of ["packages", "services"]) {
    for (const entry of readdirSync(join(ROOT, group), { withFileTypes: true })) {
      const file = join(ROOT, group, entry.name, "package.json");
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const { name, version } = PackageJsonSchema.parse(readJson(file));
      packages.set(name, { version, dir: join(ROOT, group, entry.name) });
    }
  }
  return packages;
}

describe("the example plugins, packaged as an outside author packages a plugin", () => {
  it("has examples to check", () => {
    expect(EXAMPLES.map((dir) => relative(ROOT, dir)).sort()).toEqual([
      "examples/ip-allowlist-hook",
      "examples/sms-relay-channel",
    ]);
  });

  it.each(EXAMPLES)(
    "%s depends on Plugboard packages by a version range the workspace meets",
    (dir) => {
      const manifest = PackageJsonSchema.parse(readJson(join(dir, "package.json")));
      const workspace = workspacePackages();
      const ranges = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies });
      const plugboard = ranges.filter(([name]) => name.startsWith("@plugboard/"));
      expect(plugboard.map(([name]) => name)).toContain("@plugboard/plugin-sdk");
      for (const [name, range] of plugboard) {
        // `workspace:`, `link:` or `file:` would not install outside this repository.
        expect(semver.validRange(range), `${name}: ${range}`).not.toBeNull();
        const local = workspace.get(name);
        expect(local, name).toBeDefined();
        expect(semver.satisfies(local?.version ?? "", range), `${name}@${range}`).toBe(true);
        // pnpm links the workspace's package, so nothing is fetched for it from the registry.
        expect(realpathSync(join(dir, "node_modules", name))).toBe(realpathSync(local?.dir ?? ""));
      }
    },
  );

  it.each(EXAMPLES)("%s has a tsconfig that extends nothing outside its folder", (dir) => {
    const tsconfig = TsconfigSchema.parse(readJson(join(dir, "tsconfig.json")));
    const extended = tsconfig.extends === undefined ? [] : [tsconfig.extends].flat();
    for (const base of extended) {
      expect(relative(dir, resolve(dir, base)).startsWith(".."), base).toBe(false);
    }
  });
});
