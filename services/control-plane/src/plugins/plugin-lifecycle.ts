import type {
  Issue,
  PluginChangeResult,
  PluginDetailResponse,
  PluginUninstallResult,
} from "@plugboard/contracts";
import { checkRegistry, type RegistryProblem } from "@plugboard/plugin-sdk";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../http/problem-handler.js";
import { pluginBundlesDirOf, removeBundle } from "../plugin-packages/bundle-store.js";
import { checkCandidate } from "./check-candidate.js";
import { changedPlugin } from "./install-plugin.js";
import { parseStoredManifest } from "./plugin-catalog.js";
import { loadPluginDetail } from "./plugin-detail.js";
import type { PluginStore } from "./plugin-store.js";
import { issueOfProblem, joinPath, manifestOfEntry } from "./registry-issues.js";

function notFound(id: string): never {
  const message = `no plugin with id ${id}`;
  throw new ApiError("PLUGBOARD_NOT_FOUND", message, [{ path: "id", message, code: "not_found" }]);
}

function conflict(path: string, code: string, message: string): never {
  throw new ApiError("PLUGBOARD_CONFLICT", message, [{ path, message, code }]);
}

async function pluginRow(store: PluginStore, id: string) {
  const row = await store.db
    .selectFrom("plugins")
    .select(["id", "source", "current_version", "enabled"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row ?? notFound(id);
}

/**
 * PATCH /v1/plugins/{id} (and POST .../enable, .../disable): turns a plugin (first-party ones
 * too) on or off. Turning one on loads and probes its code before the row changes; when it
 * does not start, the plugin stays off and the answer names why (`path`: the request field).
 */
export async function setPluginEnabled(
  store: PluginStore,
  id: string,
  enabled: boolean,
  actor: string,
  path: string,
): Promise<PluginDetailResponse> {
  const row = await pluginRow(store, id);
  if ((row.enabled === 1) !== enabled) {
    try {
      await store.runtime.apply({
        pluginId: id,
        path,
        write: async (trx) => {
          const updated = await trx
            .updateTable("plugins")
            .set({ enabled: enabled ? 1 : 0, updated_at: new Date().toISOString() })
            .where("id", "=", id)
            .where("enabled", "=", enabled ? 0 : 1)
            .executeTakeFirst();
          // Another request turned it the same way meanwhile: nothing to record.
          if (Number(updated.numUpdatedRows) !== 1) return;
          await recordAudit(trx, {
            actor,
            action: enabled ? "plugin.enable" : "plugin.disable",
            target: id,
            beforeRevision: row.current_version,
            afterRevision: row.current_version,
            detail: { enabled },
          });
        },
      });
    } finally {
      store.registry.invalidate();
    }
  }
  return (await loadPluginDetail(store, id)) ?? notFound(id);
}

/**
 * POST /v1/plugins/{id}/rollback: removes the current version and reinstates the one
 * installed before it. The earlier manifest must still fit the registry. The earlier
 * version's code is loaded and probed first (within the rollback window its instance is
 * still loaded and is switched back to as it is); then the rows change in one transaction
 * just before the switch. The current version's files are deleted only after that.
 */
export async function rollbackPlugin(
  store: PluginStore,
  id: string,
  fromVersion: string | undefined,
  actor: string,
): Promise<PluginChangeResult> {
  const row = await pluginRow(store, id);
  if (row.source === "first_party") {
    conflict("id", "first_party", `${id} is first-party; it has no earlier version to go back to`);
  }
  const current = row.current_version;
  if (fromVersion !== undefined && fromVersion !== current) {
    conflict(
      "from_version",
      "version_changed",
      `${id} is at ${current ?? "no version"}, not ${fromVersion}`,
    );
  }
  const [top, previous] = await store.db
    .selectFrom("plugin_versions")
    .select(["seq", "version", "manifest_json", "bundle_dir"])
    .where("plugin_id", "=", id)
    .orderBy("seq", "desc")
    .limit(2)
    .execute();
  if (top === undefined || previous === undefined) {
    conflict("id", "no_previous_version", `${id} has no earlier version to go back to`);
  }
  const manifest = parseStoredManifest(id, previous.manifest_json);
  const check = await checkCandidate(manifest, await store.registry.entries());
  if (!check.valid) {
    const errors: Issue[] = [
      ...check.issues.map((issue) => ({
        ...issue,
        path: joinPath(`registry["${id}"]`, issue.path),
      })),
      ...check.problems.map((problem) => issueOfProblem(problem, undefined)),
    ];
    throw new ApiError(
      "PLUGBOARD_VALIDATION_FAILED",
      `${id}@${previous.version} no longer fits the installed plugins`,
      errors,
    );
  }
  try {
    await store.runtime.apply({
      pluginId: id,
      path: "id",
      write: async (trx) => {
        const updated = await trx
          .updateTable("plugins")
          .set({ current_version: previous.version, updated_at: new Date().toISOString() })
          .where("id", "=", id)
          .where("current_version", "=", top.version)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) {
          conflict("id", "changed_meanwhile", `${id} changed meanwhile; try again`);
        }
        await trx
          .deleteFrom("plugin_versions")
          .where("plugin_id", "=", id)
          .where("seq", "=", top.seq)
          .execute();
        await recordAudit(trx, {
          actor,
          action: "plugin.rollback",
          target: id,
          beforeRevision: top.version,
          afterRevision: previous.version,
        });
      },
    });
  } finally {
    store.registry.invalidate();
  }
  // A failure here leaves an unreferenced folder, which the next start removes.
  if (top.bundle_dir !== null) await removeBundle(store.dataDir, top.bundle_dir).catch(() => {});
  return changedPlugin(store, id, top.version);
}

const problemKey = (problem: RegistryProblem) =>
  `${problem.manifestId}\u0000${problem.path}\u0000${problem.code}`;

/** Problems the registry would have without plugin `id` that it does not have now. */
async function problemsWithout(store: PluginStore, id: string): Promise<RegistryProblem[]> {
  const entries = await store.registry.entries();
  const before = checkRegistry(entries.map(manifestOfEntry));
  const after = checkRegistry(entries.filter((entry) => entry.id !== id).map(manifestOfEntry));
  if (after.success) return [];
  const existing = new Set(before.success ? [] : before.problems.map(problemKey));
  return after.problems.filter((problem) => !existing.has(problemKey(problem)));
}

/**
 * DELETE /v1/plugins/{id}: removes a third-party plugin, its versions, configuration,
 * secrets and setup progress in one transaction, then its files. Refused for first-party
 * plugins, for a worker pack with workers, and when another plugin depends on it.
 */
export async function uninstallPlugin(
  store: PluginStore,
  id: string,
  actor: string,
): Promise<PluginUninstallResult> {
  const row = await pluginRow(store, id);
  if (row.source === "first_party") {
    conflict("id", "first_party", `${id} is first-party; it can be disabled, not uninstalled`);
  }
  const versions = await store.db
    .selectFrom("plugin_versions")
    .select(["version", "manifest_json"])
    .where("plugin_id", "=", id)
    .orderBy("seq", "desc")
    .execute();
  const current = versions[0];
  if (current !== undefined) {
    const manifest = parseStoredManifest(id, current.manifest_json);
    if (manifest.kind === "worker_pack") {
      const workers = await store.db
        .selectFrom("workers")
        .select("id")
        .where("worker_pack_id", "=", manifest.workerPackId)
        .execute();
      if (workers.length > 0) {
        conflict(
          "id",
          "workers_installed",
          `${workers.length} worker(s) run on ${manifest.workerPackId}; remove them first`,
        );
      }
    }
  }
  const broken = await problemsWithout(store, id);
  if (broken.length > 0) {
    throw new ApiError(
      "PLUGBOARD_CONFLICT",
      `other plugins still need ${id}`,
      broken.map((problem) => issueOfProblem(problem, undefined)),
    );
  }
  try {
    await store.runtime.apply({
      pluginId: id,
      path: "id",
      write: async (trx) => {
        await trx.deleteFrom("plugin_versions").where("plugin_id", "=", id).execute();
        await trx.deleteFrom("config_revisions").where("plugin_id", "=", id).execute();
        await trx.deleteFrom("secrets").where("plugin_id", "=", id).execute();
        await trx.deleteFrom("setup_progress").where("plugin_id", "=", id).execute();
        await trx.deleteFrom("plugin_storage").where("plugin_id", "=", id).execute();
        const deleted = await trx
          .deleteFrom("plugins")
          .where("id", "=", id)
          .where("source", "=", "installed")
          .executeTakeFirst();
        if (Number(deleted.numDeletedRows) !== 1) notFound(id);
        await recordAudit(trx, {
          actor,
          action: "plugin.uninstall",
          target: id,
          beforeRevision: row.current_version,
          afterRevision: null,
        });
      },
    });
  } finally {
    store.registry.invalidate();
  }
  // A failure here leaves unreferenced folders, which the next start removes.
  await removeBundle(store.dataDir, pluginBundlesDirOf(id)).catch(() => {});
  return { id, removedVersions: versions.map((version) => version.version) };
}
