import { randomUUID } from "node:crypto";
import { type WorkItem, WorkItemSchema } from "@plugboard/contracts";
import type { Kysely, Selectable } from "kysely";
import { pageOf } from "../http/page-cursor.js";
import type { Schema, WorkItemTable } from "../store/schema.js";
import type { WorkItemDraft } from "../worker-packs/route-event-handler.js";

// A stored row is outside input too (an older version may have written it): parse it.
function toWorkItem(row: Selectable<WorkItemTable>): WorkItem {
  return WorkItemSchema.parse({
    id: row.id,
    workerId: row.worker_id,
    kind: row.kind,
    title: row.title,
    body: JSON.parse(row.body_json),
    sourceEventId: row.source_event_id,
    routeKind: row.route_kind,
    correlationId: row.correlation_id,
    actionIds: JSON.parse(row.action_ids_json),
    createdAt: row.created_at,
  });
}

/** Where one event's work items come from: the worker, the event and its route. */
export interface WorkItemOrigin {
  readonly workerId: string;
  readonly eventId: string;
  readonly routeKind: string;
  readonly correlationId: string;
}

/** Inserts one event's work items in order and returns their ids; run it in a transaction. */
export async function insertWorkItems(
  trx: Kysely<Schema>,
  origin: WorkItemOrigin,
  drafts: readonly WorkItemDraft[],
): Promise<string[]> {
  const now = new Date().toISOString();
  const ids = drafts.map(() => randomUUID());
  if (drafts.length === 0) return ids;
  await trx
    .insertInto("work_items")
    .values(
      drafts.map((draft, position) => ({
        id: ids[position] ?? randomUUID(),
        worker_id: origin.workerId,
        kind: draft.kind,
        title: draft.title,
        body_json: JSON.stringify(draft.body),
        source_event_id: origin.eventId,
        route_kind: origin.routeKind,
        correlation_id: origin.correlationId,
        position,
        action_ids_json: "[]",
        created_at: now,
      })),
    )
    .execute();
  return ids;
}

/** Records the action requests made from a work item. */
export async function linkWorkItemActions(
  db: Kysely<Schema>,
  workItemId: string,
  actionIds: readonly string[],
): Promise<void> {
  await db
    .updateTable("work_items")
    .set({ action_ids_json: JSON.stringify(actionIds) })
    .where("id", "=", workItemId)
    .execute();
}

export async function findWorkItem(db: Kysely<Schema>, id: string): Promise<WorkItem | undefined> {
  const row = await db.selectFrom("work_items").selectAll().where("id", "=", id).executeTakeFirst();
  return row === undefined ? undefined : toWorkItem(row);
}

export interface WorkItemPage {
  readonly workItems: WorkItem[];
  readonly nextCursor: string | null;
}

/** Newest first, `limit` per page, continuing below `before` when given. */
export async function listWorkItems(
  db: Kysely<Schema>,
  page: {
    readonly before?: number | undefined;
    readonly limit: number;
    readonly workerId?: string | undefined;
    readonly kind?: string | undefined;
    readonly sourceEventId?: string | undefined;
  },
): Promise<WorkItemPage> {
  let query = db
    .selectFrom("work_items")
    .selectAll()
    .orderBy("seq", "desc")
    .limit(page.limit + 1);
  if (page.before !== undefined) query = query.where("seq", "<", page.before);
  if (page.workerId !== undefined) query = query.where("worker_id", "=", page.workerId);
  if (page.kind !== undefined) query = query.where("kind", "=", page.kind);
  if (page.sourceEventId !== undefined) {
    query = query.where("source_event_id", "=", page.sourceEventId);
  }
  const { rows, nextCursor } = pageOf(await query.execute(), page.limit, (row) => row.seq);
  return { workItems: rows.map(toWorkItem), nextCursor };
}
