import type { PluginSetup } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import { connectedProviders } from "../connections/connection-status.js";
import { currentConfigs } from "../plugin-config/config-store.js";
import type { CatalogEntry } from "../plugins/plugin-catalog.js";
import type { Schema } from "../store/schema.js";
import {
  evaluateSetupCheck,
  type SetupEvaluatorRegistry,
  type SetupFacts,
  setupStepKey,
} from "./setup-evaluators.js";

/** An operator's mark on a manual step. */
interface ManualMark {
  readonly done: boolean;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

async function loadSetupFacts(
  db: Kysely<Schema>,
  catalog: readonly CatalogEntry[],
  evaluators: SetupEvaluatorRegistry,
): Promise<SetupFacts> {
  const configChecked = [...evaluators]
    .filter(([, check]) => check.kind === "config_valid")
    .map(([key]) => key.slice(0, key.lastIndexOf(":")));
  const [secrets, connected, workers, configs] = await Promise.all([
    db.selectFrom("secrets").select(["plugin_id", "key"]).execute(),
    connectedProviders(db, catalog),
    db.selectFrom("workers").select("worker_pack_id").distinct().execute(),
    currentConfigs(db, configChecked),
  ]);
  const storedSecrets = new Map<string, Set<string>>();
  for (const row of secrets) {
    const keys = storedSecrets.get(row.plugin_id) ?? new Set<string>();
    keys.add(row.key);
    storedSecrets.set(row.plugin_id, keys);
  }
  return {
    storedSecrets,
    connectedProviders: connected,
    installedWorkerPacks: new Set(workers.map((row) => row.worker_pack_id)),
    configs,
  };
}

async function loadManualMarks(db: Kysely<Schema>): Promise<Map<string, ManualMark>> {
  const rows = await db.selectFrom("setup_progress").selectAll().execute();
  return new Map(
    rows.map((row) => [
      setupStepKey(row.plugin_id, row.step_id),
      { done: Number(row.done) === 1, updatedAt: row.updated_at, updatedBy: row.updated_by },
    ]),
  );
}

/**
 * The setup of every plugin that declares setup steps, sorted by plugin id: each step done
 * or pending, computed by its evaluator when one is registered, otherwise as an operator
 * last marked it (pending when never marked).
 */
export async function loadSetupProgress(
  db: Kysely<Schema>,
  catalog: readonly CatalogEntry[],
  evaluators: SetupEvaluatorRegistry,
): Promise<PluginSetup[]> {
  const [facts, marks] = await Promise.all([
    loadSetupFacts(db, catalog, evaluators),
    loadManualMarks(db),
  ]);
  return catalog
    .filter(({ manifest }) => (manifest.setupSteps ?? []).length > 0)
    .map(({ manifest, enabled }): PluginSetup => {
      const steps = (manifest.setupSteps ?? []).map((step) => {
        const key = setupStepKey(manifest.id, step.id);
        const check = evaluators.get(key);
        if (check !== undefined) {
          const done = evaluateSetupCheck(check, manifest, facts);
          return {
            ...step,
            status: done ? ("done" as const) : ("pending" as const),
            source: "evaluator" as const,
            updatedAt: null,
            updatedBy: null,
          };
        }
        const mark = marks.get(key);
        return {
          ...step,
          status: mark?.done === true ? ("done" as const) : ("pending" as const),
          source: "manual" as const,
          updatedAt: mark?.updatedAt ?? null,
          updatedBy: mark?.updatedBy ?? null,
        };
      });
      return {
        pluginId: manifest.id,
        kind: manifest.kind,
        displayName: manifest.displayName,
        enabled,
        completed: steps.filter((step) => step.status === "done").length,
        total: steps.length,
        steps,
      };
    })
    .sort((a, b) => (a.pluginId < b.pluginId ? -1 : a.pluginId > b.pluginId ? 1 : 0));
}

/**
 * Records an operator's mark on a manual step, with its audit entry, in one transaction.
 * The caller has checked that the step exists and has no evaluator.
 */
export async function markManualStep(
  db: Kysely<Schema>,
  mark: {
    readonly pluginId: string;
    readonly stepId: string;
    readonly done: boolean;
    readonly actor: string;
  },
): Promise<void> {
  const now = new Date().toISOString();
  const done = mark.done ? 1 : 0;
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("setup_progress")
      .select("done")
      .where("plugin_id", "=", mark.pluginId)
      .where("step_id", "=", mark.stepId)
      .executeTakeFirst();
    await trx
      .insertInto("setup_progress")
      .values({
        plugin_id: mark.pluginId,
        step_id: mark.stepId,
        done,
        updated_at: now,
        updated_by: mark.actor,
      })
      .onConflict((oc) =>
        oc
          .columns(["plugin_id", "step_id"])
          .doUpdateSet({ done, updated_at: now, updated_by: mark.actor }),
      )
      .execute();
    await recordAudit(trx, {
      actor: mark.actor,
      action: "setup.mark",
      target: setupStepKey(mark.pluginId, mark.stepId),
      detail: {
        before: before !== undefined && Number(before.done) === 1 ? "done" : "pending",
        after: mark.done ? "done" : "pending",
      },
    });
  });
}
