import { readFile } from "node:fs/promises";
import { discoverPlugins } from "@plugboard/runtime";
import type { FastifyBaseLogger } from "fastify";
import { ApiError } from "../http/problem-handler.js";
import { sha512Integrity } from "../plugin-packages/integrity.js";
import { MANIFEST_FILE } from "../plugin-packages/package-contents.js";
import { checkInstallable } from "./install-candidate.js";
import { installCandidate } from "./install-plugin.js";
import type { PluginStore } from "./plugin-store.js";

/**
 * Installs the plugins found in the operator's local directories (`PLUGBOARD_PLUGIN_DIRS`):
 * each directory is a plugin package, or holds them (`node_modules` included), found as
 * `discoverPlugins` describes. A plugin not installed yet, or at an older version, is
 * installed like any other (audited as `system`); the same version already installed is
 * left as it is; a directory that gives no plugin, or a plugin the checks refuse, is logged
 * and skipped. These are the operator's own files: the install allowlist does not apply.
 */
export async function installLocalPlugins(
  store: PluginStore,
  dirs: readonly string[],
  log: Pick<FastifyBaseLogger, "info" | "warn">,
): Promise<void> {
  if (dirs.length === 0) return;
  const { plugins, problems } = await discoverPlugins(dirs);
  for (const problem of problems) {
    log.warn(
      { dir: problem.dir, file: problem.file, code: problem.code, problem: problem.message },
      "a local plugin directory gave no plugin",
    );
  }
  for (const found of plugins) {
    const { manifest } = found.spec;
    const runtime = "runtime" in manifest ? manifest.runtime : undefined;
    if (runtime?.type !== "module") continue;
    const manifestText = await readFile(found.manifestFile);
    const entry = await readFile(found.entryFile);
    const integrity = sha512Integrity(Buffer.concat([manifestText, Buffer.from([0]), entry]));
    const row = await store.db
      .selectFrom("plugins")
      .select("current_version")
      .where("id", "=", manifest.id)
      .executeTakeFirst();
    if (row?.current_version === manifest.version) {
      const version = await store.db
        .selectFrom("plugin_versions")
        .select("integrity")
        .where("plugin_id", "=", manifest.id)
        .where("version", "=", manifest.version)
        .executeTakeFirst();
      if (version?.integrity !== integrity) {
        log.warn(
          { pluginId: manifest.id, version: manifest.version, dir: found.dir },
          "a different build of this version is installed; raise the version to install the local one",
        );
      }
      continue;
    }
    try {
      const candidate = checkInstallable({
        manifest,
        source: "directory",
        packageName: null,
        integrity,
        files: [
          { path: MANIFEST_FILE, content: manifestText },
          { path: runtime.entry, content: entry },
        ],
      });
      await installCandidate(store, candidate, "system");
      log.info(
        { pluginId: manifest.id, version: manifest.version, dir: found.dir },
        "installed a local plugin",
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      log.warn(
        { pluginId: manifest.id, dir: found.dir, problem: error.message, errors: error.errors },
        "a local plugin was refused",
      );
    }
  }
}
