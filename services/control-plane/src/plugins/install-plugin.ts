import type { Issue, PluginChangeResult, PluginInstallRequest } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import semver from "semver";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../http/problem-handler.js";
import {
  bundleDirOf,
  discardStaged,
  placeBundle,
  removeBundle,
  stageBundle,
} from "../plugin-packages/bundle-store.js";
import type { Schema } from "../store/schema.js";
import { checkCandidate } from "./check-candidate.js";
import {
  type InstallCandidate,
  type PackageSources,
  resolveInstallCandidate,
} from "./install-candidate.js";
import { loadPluginDetail } from "./plugin-detail.js";
import type { PluginStore } from "./plugin-store.js";
import { issueOfProblem, joinPath } from "./registry-issues.js";

function conflict(path: string, code: string, message: string): never {
  throw new ApiError("PLUGBOARD_CONFLICT", message, [{ path, message, code }]);
}

/** The plugin's detail after a change, for the response. */
export async function changedPlugin(
  store: PluginStore,
  id: string,
  replacedVersion: string | null,
): Promise<PluginChangeResult> {
  const detail = await loadPluginDetail(store, id);
  if (detail === undefined) throw new Error(`plugin ${id} is missing right after it changed`);
  return { ...detail, replacedVersion };
}

/** The installed version a candidate replaces, or null; refuses what cannot be replaced. */
async function replacedVersionOf(
  db: Kysely<Schema>,
  candidate: InstallCandidate,
): Promise<string | null> {
  const { id, version } = candidate.manifest;
  const row = await db
    .selectFrom("plugins")
    .select(["source", "current_version"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (row === undefined || row.current_version === null) return null;
  if (row.source === "first_party") {
    conflict(
      "manifest.id",
      "first_party_id",
      `${id} is a first-party plugin and cannot be replaced`,
    );
  }
  const current = row.current_version;
  if (semver.eq(version, current)) {
    conflict("manifest.version", "version_installed", `${id}@${version} is already installed`);
  }
  if (semver.lt(version, current)) {
    conflict(
      "manifest.version",
      "version_older",
      `${id}@${current} is installed; ${version} is older (roll back instead to return to the previous version)`,
    );
  }
  return current;
}

/** Refuses a candidate that does not fit the installed registry, naming each path. */
async function checkAgainstRegistry(store: PluginStore, candidate: InstallCandidate) {
  const { id } = candidate.manifest;
  const result = await checkCandidate(candidate.manifest, await store.registry.entries());
  if (result.valid) return;
  const errors: Issue[] = [
    ...result.issues.map((issue) => ({ ...issue, path: joinPath("manifest", issue.path) })),
    ...result.problems.map((problem) => issueOfProblem(problem, id)),
  ];
  throw new ApiError(
    "PLUGBOARD_VALIDATION_FAILED",
    `${id}@${candidate.manifest.version} does not fit the installed plugins`,
    errors,
  );
}

/** The request field a candidate's code came from, for a refusal to name. */
const CODE_PATHS = {
  bundle: "bundle",
  registry: "package",
  manifest: "manifest",
  directory: "manifest",
} as const satisfies Record<InstallCandidate["source"], string>;

/**
 * Writes the rows of a checked candidate on `trx`: the plugin row (inserted, or moved from
 * the version the checks saw), the version row and the audit entry.
 */
async function writeInstallRows(
  trx: Kysely<Schema>,
  candidate: InstallCandidate,
  bundleDir: string | null,
  replacedVersion: string | null,
  actor: string,
): Promise<void> {
  const { manifest } = candidate;
  const now = new Date().toISOString();
  if (replacedVersion === null) {
    const inserted = await trx
      .insertInto("plugins")
      .values({
        id: manifest.id,
        kind: manifest.kind,
        source: "installed",
        current_version: manifest.version,
        enabled: 1,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) {
      conflict("manifest.id", "installed_meanwhile", `${manifest.id} was installed meanwhile`);
    }
  } else {
    // Only from the version the checks saw: a concurrent change makes this a conflict.
    const updated = await trx
      .updateTable("plugins")
      .set({ current_version: manifest.version, kind: manifest.kind, updated_at: now })
      .where("id", "=", manifest.id)
      .where("current_version", "=", replacedVersion)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      conflict("manifest.id", "changed_meanwhile", `${manifest.id} changed meanwhile; try again`);
    }
  }
  const top = await trx
    .selectFrom("plugin_versions")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .where("plugin_id", "=", manifest.id)
    .executeTakeFirst();
  await trx
    .insertInto("plugin_versions")
    .values({
      plugin_id: manifest.id,
      version: manifest.version,
      seq: Number(top?.seq ?? 0) + 1,
      manifest_json: JSON.stringify(manifest),
      package_name: candidate.packageName,
      integrity: candidate.integrity,
      bundle_dir: bundleDir,
      installed_at: now,
      installed_by: actor,
    })
    .execute();
  await recordAudit(trx, {
    actor,
    action: replacedVersion === null ? "plugin.install" : "plugin.upgrade",
    target: manifest.id,
    beforeRevision: replacedVersion,
    afterRevision: manifest.version,
    detail: {
      source: candidate.source,
      packageName: candidate.packageName,
      integrity: candidate.integrity,
    },
  });
}

/**
 * Writes a checked candidate: its files are staged and renamed into place; then the plugin
 * host loads and probes what it would run, and the rows are written in one transaction just
 * before the switch. When its code does not start, or the transaction fails, the new files
 * are removed and nothing is stored; earlier versions' rows and files are never touched, so
 * the previous state stays as it was and keeps running.
 */
async function commitInstall(
  store: PluginStore,
  candidate: InstallCandidate,
  replacedVersion: string | null,
  actor: string,
): Promise<void> {
  const { manifest } = candidate;
  const bundleDir =
    candidate.files === null || candidate.integrity === null
      ? null
      : bundleDirOf(manifest.id, manifest.version, candidate.integrity);
  if (bundleDir !== null && candidate.files !== null) {
    const owner = await store.db
      .selectFrom("plugin_versions")
      .select("plugin_id")
      .where("bundle_dir", "=", bundleDir)
      .executeTakeFirst();
    if (owner !== undefined) {
      conflict("manifest.version", "version_installed", `${bundleDir} is already installed`);
    }
    const staging = await stageBundle(store.dataDir, candidate.files);
    try {
      await placeBundle(store.dataDir, staging, bundleDir);
    } catch (error) {
      await discardStaged(staging);
      throw error;
    }
  }
  try {
    await store.runtime.apply({
      pluginId: manifest.id,
      path: CODE_PATHS[candidate.source],
      write: (trx) => writeInstallRows(trx, candidate, bundleDir, replacedVersion, actor),
    });
  } catch (error) {
    if (bundleDir !== null) await removeBundle(store.dataDir, bundleDir);
    throw error;
  }
}

/**
 * POST /v1/plugins: installs a third-party plugin, or upgrades it to a newer version.
 * Every check runs before anything is written; see `resolveInstallCandidate` and
 * `installCandidate` for the order.
 */
export async function installPlugin(
  store: PluginStore,
  sources: PackageSources,
  body: PluginInstallRequest,
  actor: string,
): Promise<PluginChangeResult> {
  return installCandidate(store, await resolveInstallCandidate(body, sources), actor);
}

/**
 * Installs a candidate that passed the checks needing no database: refuses what cannot
 * replace the installed version or does not fit the registry, then writes it (files, rows
 * and audit entry) as it swaps the running plugins.
 */
export async function installCandidate(
  store: PluginStore,
  candidate: InstallCandidate,
  actor: string,
): Promise<PluginChangeResult> {
  const replacedVersion = await replacedVersionOf(store.db, candidate);
  await checkAgainstRegistry(store, candidate);
  try {
    await commitInstall(store, candidate, replacedVersion, actor);
  } finally {
    store.registry.invalidate();
  }
  return changedPlugin(store, candidate.manifest.id, replacedVersion);
}
