import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { parseSettings } from "./lifecycle-settings.js";
import {
  type DiscoveredPlugin,
  type DiscoveryProblem,
  type PackageRead,
  readPluginPackage,
} from "./read-plugin-package.js";

/** How much discovery reads of each plugin; every field has a default. */
export const DiscoverySettingsSchema = z.strictObject({
  /** The largest package.json or manifest file read, in bytes. */
  maxManifestBytes: z
    .int()
    .min(1)
    .max(64 * 1_048_576)
    .default(1_048_576),
  /** The largest bundle (`runtime.entry`) read, in bytes. */
  maxBundleBytes: z
    .int()
    .min(1)
    .max(1_024 * 1_048_576)
    .default(5 * 1_048_576),
});
export type DiscoverySettingsInput = z.input<typeof DiscoverySettingsSchema>;

/** What discovery found: the plugins, and why other directories gave none. */
export interface PluginDiscovery {
  readonly plugins: readonly DiscoveredPlugin[];
  readonly problems: readonly DiscoveryProblem[];
}

async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/** Directories among `entries` (symbolic links to directories too), skipping hidden ones. */
async function subdirectories(dir: string, entries: readonly Dirent[]): Promise<string[]> {
  const found = await Promise.all(
    entries.map(async (entry) => {
      if (entry.name.startsWith(".")) return undefined;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return path;
      if (!entry.isSymbolicLink()) return undefined;
      const target = await stat(path).catch(() => undefined);
      return target?.isDirectory() === true ? path : undefined;
    }),
  );
  return found.filter((path) => path !== undefined);
}

/** The packages in `dir/node_modules`: `name` and `@scope/name`. */
async function installedPackages(dir: string): Promise<string[]> {
  const modules = join(dir, "node_modules");
  const top = await subdirectories(modules, await entriesOf(modules));
  const nested = await Promise.all(
    top.map(async (path) =>
      path.slice(modules.length + 1).startsWith("@")
        ? subdirectories(path, await entriesOf(path))
        : [path],
    ),
  );
  return nested.flat();
}

/** Reads one given directory: itself when it is a plugin, else its children and packages. */
async function scan(
  dir: string,
  read: (dir: string, fieldOnly: boolean) => Promise<PackageRead>,
): Promise<PackageRead[]> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    const problem: DiscoveryProblem = {
      dir,
      file: dir,
      code: "directory_unreadable",
      message: info === undefined ? "the directory does not exist" : "not a directory",
      issues: [],
    };
    return [{ found: "problem", problem }];
  }
  const self = await read(dir, false);
  if (self.found !== "nothing") return [self];
  const children = (await subdirectories(dir, await entriesOf(dir))).filter(
    (path) => path !== join(dir, "node_modules"),
  );
  return Promise.all([
    ...children.map((child) => read(child, false)),
    ...(await installedPackages(dir)).map((path) => read(path, true)),
  ]);
}

/**
 * Finds plugin packages in local directories. Each directory given is a plugin itself, or
 * holds plugins: its immediate subdirectories with a `plugboard` field in package.json or a
 * `plugboard.manifest.json`, and the packages in its `node_modules` (`name`, `@scope/name`)
 * with a `plugboard` field. Each manifest is validated for the lifecycle and its bundle read,
 * within the directory and the size caps. One bad plugin never stops the scan: it becomes a
 * problem naming its directory, file and (for a manifest) the field paths. A second plugin
 * with an id already found is a `duplicate_plugin` problem.
 *
 * @example
 * const { plugins, problems } = await discoverPlugins(["/srv/plugboard/plugins"]);
 * await set.swap(plugins.map((plugin) => plugin.spec));
 */
export async function discoverPlugins(
  dirs: readonly string[],
  settings: DiscoverySettingsInput = {},
): Promise<PluginDiscovery> {
  const limits = parseSettings(DiscoverySettingsSchema, settings, "");
  const read = (dir: string, packageFieldOnly: boolean) =>
    readPluginPackage(dir, limits, { packageFieldOnly });
  const reads = (await Promise.all(dirs.map((dir) => scan(resolve(dir), read)))).flat();
  const plugins: DiscoveredPlugin[] = [];
  const problems: DiscoveryProblem[] = [];
  const seen = new Map<string, DiscoveredPlugin>();
  for (const result of reads) {
    if (result.found === "problem") problems.push(result.problem);
    if (result.found !== "plugin") continue;
    const { plugin } = result;
    const id = plugin.spec.manifest.id;
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, plugin);
      plugins.push(plugin);
      continue;
    }
    problems.push({
      dir: plugin.dir,
      file: plugin.manifestFile,
      code: "duplicate_plugin",
      message: `plugin "${id}" was already found in ${first.dir}`,
      issues: [],
    });
  }
  return { plugins, problems };
}
