import { randomUUID } from "node:crypto";
import type { WorkerInstallRequest, WorkerInstallResult } from "@plugboard/contracts";
import type { WorkerPackManifest } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import type { Schema } from "../store/schema.js";
import type { WorkerPackDefinition } from "../worker-packs/index.js";

/**
 * Creates what the runtime pack's install plan says: the worker, its opening input routes
 * and one capability per action kind at its default boundary mode. Run it inside one
 * transaction: a failure at any insert leaves nothing behind.
 */
export async function createWorker(
  trx: Kysely<Schema>,
  install: {
    readonly manifest: WorkerPackManifest;
    readonly pack: WorkerPackDefinition;
    readonly request: WorkerInstallRequest;
    readonly actor: string;
  },
): Promise<WorkerInstallResult> {
  const { manifest, pack, request, actor } = install;
  const worker = {
    id: randomUUID(),
    workerPackId: pack.id,
    name: request.name ?? pack.installPlan.defaultWorkerName,
    scope: request.scope ?? manifest.defaultScope,
  };
  await trx
    .insertInto("workers")
    .values({
      id: worker.id,
      worker_pack_id: worker.workerPackId,
      name: worker.name,
      scope: worker.scope,
      created_at: new Date().toISOString(),
      created_by: actor,
    })
    .execute();
  const labels = new Map(pack.supportedInputRoutes.map((route) => [route.kind, route.label]));
  const inputRoutes = pack.installPlan.inputRoutes.map((kind) => ({
    id: randomUUID(),
    kind,
    label: labels.get(kind) ?? kind,
  }));
  for (const route of inputRoutes) {
    await trx
      .insertInto("worker_input_routes")
      .values({ id: route.id, worker_id: worker.id, kind: route.kind, label: route.label })
      .execute();
  }
  const actionCapabilities = pack.actionCapabilities.map((capability) => ({
    kind: capability.kind,
    boundaryMode: capability.defaultBoundaryMode,
  }));
  for (const capability of actionCapabilities) {
    await trx
      .insertInto("worker_action_capabilities")
      .values({
        worker_id: worker.id,
        kind: capability.kind,
        boundary_mode: capability.boundaryMode,
      })
      .execute();
  }
  await recordAudit(trx, {
    actor,
    action: "worker.install",
    target: worker.id,
    detail: { workerPackId: pack.id, pluginId: manifest.id },
  });
  return { worker, inputRoutes, actionCapabilities };
}
