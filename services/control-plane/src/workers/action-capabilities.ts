import type { WorkerActionCapability } from "@plugboard/contracts";
import type { BoundaryMode } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../http/problem-handler.js";
import type { Schema } from "../store/schema.js";

/**
 * Sets how a worker's future requests of one action kind are governed, and audits the change
 * with the mode before and after. Throws 404 when the worker has no such capability.
 */
export async function setBoundaryMode(
  db: Kysely<Schema>,
  change: {
    readonly workerId: string;
    readonly kind: string;
    readonly boundaryMode: BoundaryMode;
    readonly actor: string;
  },
): Promise<WorkerActionCapability> {
  const before = await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("worker_action_capabilities")
      .select("boundary_mode")
      .where("worker_id", "=", change.workerId)
      .where("kind", "=", change.kind)
      .executeTakeFirst();
    if (current === undefined) return undefined;
    await trx
      .updateTable("worker_action_capabilities")
      .set({ boundary_mode: change.boundaryMode })
      .where("worker_id", "=", change.workerId)
      .where("kind", "=", change.kind)
      .execute();
    await recordAudit(trx, {
      actor: change.actor,
      action: "worker.boundary_mode.update",
      target: change.workerId,
      detail: { kind: change.kind, before: current.boundary_mode, after: change.boundaryMode },
    });
    return current.boundary_mode;
  });
  if (before === undefined) {
    throw new ApiError(
      "PLUGBOARD_NOT_FOUND",
      `no worker ${change.workerId} with action capability ${change.kind}`,
    );
  }
  return { workerId: change.workerId, kind: change.kind, boundaryMode: change.boundaryMode };
}
