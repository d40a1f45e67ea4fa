import {
  type Action,
  type ActionAttempt,
  ActionAttemptSchema,
  type ActionDetail,
  type ActionListQuery,
  ActionSchema,
} from "@plugboard/contracts";
import type { Kysely, Selectable } from "kysely";
import { encodePageCursor } from "../http/page-cursor.js";
import type { ActionAttemptTable, ActionTable, Schema } from "../store/schema.js";

type ActionRow = Selectable<ActionTable>;
type AttemptRow = Selectable<ActionAttemptTable>;

const parseJson = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

// A stored row is outside input too (an older version may have written it): parse it.
export function toAction(row: ActionRow): Action {
  return ActionSchema.parse({
    id: row.id,
    workerId: row.worker_id,
    kind: row.kind,
    destinationProvider: row.destination_provider,
    executorPluginId: row.executor_plugin_id,
    boundaryMode: row.boundary_mode,
    status: row.status,
    payload: parseJson(row.payload_json),
    requestedBy: row.requested_by,
    review:
      row.review_decision === null
        ? null
        : {
            decision: row.review_decision,
            reviewedBy: row.reviewed_by,
            reason: row.review_reason,
            reviewedAt: row.reviewed_at,
          },
    lastRetry:
      row.retried_by === null
        ? null
        : {
            retriedBy: row.retried_by,
            reason: row.retry_reason,
            retriedAt: row.retried_at,
            count: row.retry_count,
          },
    idempotencyKey: row.idempotency_key,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.next_attempt_at,
    result: parseJson(row.result_json),
    lastError: parseJson(row.last_error_json),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

function toAttempt(row: AttemptRow): ActionAttempt {
  return ActionAttemptSchema.parse({
    attempt: row.attempt,
    idempotencyKey: row.idempotency_key,
    executor: row.executor,
    status: row.status,
    claimedAt: row.claimed_at,
    leaseExpiresAt: row.lease_expires_at,
    finishedAt: row.finished_at,
    result: parseJson(row.result_json),
    error: parseJson(row.error_json),
  });
}

export async function findActionRow(
  db: Kysely<Schema>,
  id: string,
): Promise<ActionRow | undefined> {
  return db.selectFrom("actions").selectAll().where("id", "=", id).executeTakeFirst();
}

/** An action with every attempt, oldest first; undefined when there is none with `id`. */
export async function findActionDetail(
  db: Kysely<Schema>,
  id: string,
): Promise<ActionDetail | undefined> {
  const row = await findActionRow(db, id);
  if (row === undefined) return undefined;
  const attempts = await db
    .selectFrom("action_attempts")
    .selectAll()
    .where("action_id", "=", id)
    .orderBy("attempt")
    .execute();
  return { ...toAction(row), attempts: attempts.map(toAttempt) };
}

export interface ActionPage {
  readonly actions: Action[];
  readonly nextCursor: string | null;
}

/** Newest first, `limit` per page, continuing below `before` (a sequence number) when given. */
export async function listActions(
  db: Kysely<Schema>,
  page: Omit<ActionListQuery, "cursor"> & { readonly before?: number | undefined },
): Promise<ActionPage> {
  let query = db
    .selectFrom("actions")
    .selectAll()
    .orderBy("seq", "desc")
    .limit(page.limit + 1);
  if (page.before !== undefined) query = query.where("seq", "<", page.before);
  if (page.status !== undefined) query = query.where("status", "=", page.status);
  if (page.workerId !== undefined) query = query.where("worker_id", "=", page.workerId);
  if (page.kind !== undefined) query = query.where("kind", "=", page.kind);
  const rows = await query.execute();
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    actions: shown.map(toAction),
    nextCursor: rows.length > page.limit && last !== undefined ? encodePageCursor(last.seq) : null,
  };
}
