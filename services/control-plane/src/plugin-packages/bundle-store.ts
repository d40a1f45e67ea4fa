import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { PackageFile } from "./tar-reader.js";

/**
 * Plugin bundles on disk: `<dataDir>/plugins/<plugin id>/<version>-<hash>/`, one folder per
 * installed version, unpacked first into `<dataDir>/plugins/.staging/` and renamed into
 * place, so a version's folder is either complete or absent. Paths stored in the database
 * are relative to the data directory.
 */
const BUNDLES = "plugins";
const STAGING = ".staging";

/** The folder, relative to the data directory, of one version of a plugin. */
export function bundleDirOf(pluginId: string, version: string, integrity: string): string {
  const hash = Buffer.from(integrity.replace(/^sha512-/, ""), "base64")
    .toString("hex")
    .slice(0, 12);
  return `${BUNDLES}/${pluginId}/${version}-${hash}`;
}

/** The folder, relative to the data directory, that holds every version of a plugin. */
export function pluginBundlesDirOf(pluginId: string): string {
  return `${BUNDLES}/${pluginId}`;
}

/** Resolves a relative bundle path, refusing one that would leave the bundles folder. */
function inside(dataDir: string, relativeDir: string): string {
  const root = resolve(dataDir, BUNDLES);
  const target = resolve(dataDir, relativeDir);
  if (target === root || !target.startsWith(root + sep)) {
    throw new Error(`bundle path ${relativeDir} is outside ${root}`);
  }
  return target;
}

/**
 * Writes files into a new staging folder and returns its absolute path. Each file is
 * created exclusively, so nothing already there is followed or overwritten.
 */
export async function stageBundle(dataDir: string, files: readonly PackageFile[]): Promise<string> {
  const staging = resolve(dataDir, BUNDLES, STAGING, randomBytes(8).toString("hex"));
  await mkdir(staging, { recursive: true });
  try {
    for (const file of files) {
      const target = resolve(staging, file.path);
      if (!target.startsWith(staging + sep)) throw new Error(`${file.path} leaves the bundle`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content, { flag: "wx", mode: 0o644 });
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return staging;
}

/**
 * Moves a staged folder to its place. A folder already at that place belongs to no row
 * (the caller checked), so it is the leftover of an interrupted install and is replaced.
 */
export async function placeBundle(dataDir: string, staging: string, relativeDir: string) {
  const target = inside(dataDir, relativeDir);
  await mkdir(dirname(target), { recursive: true });
  await rm(target, { recursive: true, force: true });
  await rename(staging, target);
}

/** Removes a bundle folder (or a plugin's folder of bundles) and everything in it. */
export async function removeBundle(dataDir: string, relativeDir: string): Promise<void> {
  await rm(inside(dataDir, relativeDir), { recursive: true, force: true });
}

/** Removes a staging folder that was never placed. */
export async function discardStaged(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true });
}

async function entriesOf(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}

/**
 * Removes what an interrupted install, rollback or uninstall left behind: staging folders
 * and version folders no row refers to. Runs at start, before any request is served.
 */
export async function sweepBundles(
  dataDir: string,
  referenced: ReadonlySet<string>,
): Promise<string[]> {
  const root = resolve(dataDir, BUNDLES);
  const removed: string[] = [];
  const remove = async (path: string) => {
    await rm(path, { recursive: true, force: true });
    removed.push(relative(dataDir, path).split(sep).join("/"));
  };
  await rm(join(root, STAGING), { recursive: true, force: true });
  for (const pluginId of await entriesOf(root)) {
    if (pluginId === STAGING) continue;
    const pluginDir = join(root, pluginId);
    if (!(await stat(pluginDir)).isDirectory()) continue;
    const versions = await entriesOf(pluginDir);
    const kept = versions.filter((version) => referenced.has(`${BUNDLES}/${pluginId}/${version}`));
    if (kept.length === 0) {
      await remove(pluginDir);
      continue;
    }
    for (const version of versions) {
      if (!kept.includes(version)) await remove(join(pluginDir, version));
    }
  }
  return removed;
}
