import type { Kysely } from "kysely";
import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import { loadCatalog } from "../plugins/plugin-catalog.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import { type SetupEvaluatorRegistry, setupStepKey } from "../setup/setup-evaluators.js";
import { loadSetupProgress, markManualStep } from "../setup/setup-progress.js";
import type { Schema } from "../store/schema.js";

/** GET /v1/setup and POST /v1/setup/{plugin}/{step} (manual steps only). */
export function setupHandlers(
  db: Kysely<Schema>,
  registry: RegistryCache,
  evaluators: SetupEvaluatorRegistry,
): Pick<RouteHandlers, "listSetup" | "markSetupStep"> {
  return {
    async listSetup() {
      return { plugins: await loadSetupProgress(db, await loadCatalog(db), evaluators) };
    },

    async markSetupStep({ params: { plugin: pluginId, step: stepId }, body, principal }) {
      const catalog = await loadCatalog(db);
      const entry = catalog.find(({ manifest }) => manifest.id === pluginId);
      if (entry === undefined) {
        throw new ApiError("PLUGBOARD_NOT_FOUND", `no plugin with id ${pluginId}`);
      }
      const steps = (entry.manifest.setupSteps ?? []).map((step) => step.id);
      if (!steps.includes(stepId)) {
        const message = `${pluginId} has no setup step "${stepId}" (its steps: ${steps.join(", ") || "none"})`;
        throw new ApiError("PLUGBOARD_NOT_FOUND", message, [
          { path: "step", message, code: "not_found" },
        ]);
      }
      if (evaluators.has(setupStepKey(pluginId, stepId))) {
        const message = `${pluginId} step "${stepId}" is computed from what is stored and cannot be marked by hand`;
        throw new ApiError("PLUGBOARD_CONFLICT", message, [
          { path: "step", message, code: "evaluated_step" },
        ]);
      }
      await markManualStep(db, { pluginId, stepId, done: body.done, actor: principal.tokenId });
      registry.invalidate();
      const progress = await loadSetupProgress(db, catalog, evaluators);
      const setup = progress.find((plugin) => plugin.pluginId === pluginId);
      if (setup === undefined) throw new Error(`setup of ${pluginId} vanished after marking it`);
      return setup;
    },
  };
}
