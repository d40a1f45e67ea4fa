import { type WorkerRun, WorkerRunSchema, type WorkerRunStatus } from "@plugboard/contracts";
import type { Kysely, Selectable } from "kysely";
import { z } from "zod";
import { pageOf } from "../http/page-cursor.js";
import type { Schema, WorkerRunTable } from "../store/schema.js";
import type { ActionRequestPlan } from "../worker-packs/route-event-handler.js";

/** The action requests a drafted run still has to make, as stored with it. */
const StoredPlansSchema = z.array(
  z.strictObject({
    kind: z.string(),
    destinationProvider: z.string().optional(),
    payload: z.record(z.string(), z.json()),
    workItem: z.int().min(0).optional(),
  }),
);

const IdsSchema = z.array(z.string());

/** A run as the dispatcher reads it back. */
export interface StoredRun {
  readonly status: WorkerRunStatus;
  readonly workItemIds: readonly string[];
  readonly plans: readonly ActionRequestPlan[];
}

export interface RunKey {
  readonly workerId: string;
  readonly eventId: string;
  readonly routeKind: string;
}

export async function findRun(db: Kysely<Schema>, key: RunKey): Promise<StoredRun | undefined> {
  const row = await db
    .selectFrom("worker_runs")
    .select(["status", "output_json", "work_item_ids_json"])
    .where("worker_id", "=", key.workerId)
    .where("event_id", "=", key.eventId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    status: WorkerRunSchema.shape.status.parse(row.status),
    workItemIds: IdsSchema.parse(JSON.parse(row.work_item_ids_json)),
    plans: row.output_json === null ? [] : StoredPlansSchema.parse(JSON.parse(row.output_json)),
  };
}

/**
 * Records that the pack's output is stored: the run, with the action requests still to make.
 * Inserted in the work items' transaction; a second insert for the same worker and event
 * fails on the unique index, so concurrent handlers store one output.
 */
export async function insertDraftedRun(
  trx: Kysely<Schema>,
  key: RunKey,
  workItemIds: readonly string[],
  plans: readonly ActionRequestPlan[],
): Promise<void> {
  const now = new Date().toISOString();
  await trx
    .insertInto("worker_runs")
    .values({
      worker_id: key.workerId,
      event_id: key.eventId,
      route_kind: key.routeKind,
      status: "drafted",
      output_json: JSON.stringify(plans),
      work_item_ids_json: JSON.stringify(workItemIds),
      action_ids_json: "[]",
      detail: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** Ends a run: `done` with its actions, or `skipped` / `failed` with why. Creates it if new. */
export async function settleRun(
  db: Kysely<Schema>,
  key: RunKey,
  outcome: {
    readonly status: Exclude<WorkerRunStatus, "drafted">;
    readonly actionIds?: readonly string[];
    readonly detail?: string;
  },
): Promise<void> {
  const now = new Date().toISOString();
  const actionIds = JSON.stringify(outcome.actionIds ?? []);
  await db
    .insertInto("worker_runs")
    .values({
      worker_id: key.workerId,
      event_id: key.eventId,
      route_kind: key.routeKind,
      status: outcome.status,
      output_json: null,
      work_item_ids_json: "[]",
      action_ids_json: actionIds,
      detail: outcome.detail ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(["worker_id", "event_id"]).doUpdateSet({
        status: outcome.status,
        action_ids_json: actionIds,
        detail: outcome.detail ?? null,
        updated_at: now,
      }),
    )
    .execute();
}

function toWorkerRun(row: Selectable<WorkerRunTable>): WorkerRun {
  return WorkerRunSchema.parse({
    workerId: row.worker_id,
    eventId: row.event_id,
    routeKind: row.route_kind,
    status: row.status,
    workItemIds: JSON.parse(row.work_item_ids_json),
    actionIds: JSON.parse(row.action_ids_json),
    detail: row.detail,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** Newest first, `limit` per page, continuing below `before` when given. */
export async function listWorkerRuns(
  db: Kysely<Schema>,
  page: {
    readonly before?: number | undefined;
    readonly limit: number;
    readonly workerId?: string | undefined;
    readonly eventId?: string | undefined;
    readonly status?: WorkerRunStatus | undefined;
  },
): Promise<{ runs: WorkerRun[]; nextCursor: string | null }> {
  let query = db
    .selectFrom("worker_runs")
    .selectAll()
    .orderBy("seq", "desc")
    .limit(page.limit + 1);
  if (page.before !== undefined) query = query.where("seq", "<", page.before);
  if (page.workerId !== undefined) query = query.where("worker_id", "=", page.workerId);
  if (page.eventId !== undefined) query = query.where("event_id", "=", page.eventId);
  if (page.status !== undefined) query = query.where("status", "=", page.status);
  const { rows, nextCursor } = pageOf(await query.execute(), page.limit, (row) => row.seq);
  return { runs: rows.map(toWorkerRun), nextCursor };
}
