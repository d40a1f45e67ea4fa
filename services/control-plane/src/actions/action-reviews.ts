import type { Action, ActionStatus } from "@plugboard/contracts";
import { type Kysely, sql, type UpdateObject } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../http/problem-handler.js";
import type { Schema } from "../store/schema.js";
import { findActionRow, toAction } from "./action-records.js";

/** Who decided, and why. */
export interface ReviewInput {
  /** The id of the deciding token. */
  readonly reviewer: string;
  readonly reason?: string | undefined;
}

/**
 * Moves an action from one of `from` with a conditional update, so of two concurrent
 * decisions exactly one lands; audits it in the same transaction. Throws 404 for an unknown
 * action and 409 when it is not in one of `from`.
 */
async function transition(
  db: Kysely<Schema>,
  id: string,
  change: {
    readonly from: readonly ActionStatus[];
    readonly set: (now: string) => UpdateObject<Schema, "actions">;
    readonly audit: string;
    readonly input: ReviewInput;
  },
): Promise<Action> {
  const now = new Date().toISOString();
  const row = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("actions")
      .set({ ...change.set(now), updated_at: now })
      .where("id", "=", id)
      .where("status", "in", [...change.from])
      .returningAll()
      .executeTakeFirst();
    if (updated === undefined) return undefined;
    await recordAudit(trx, {
      actor: change.input.reviewer,
      action: change.audit,
      target: id,
      detail: { reason: change.input.reason ?? null, status: updated.status },
    });
    return updated;
  });
  if (row !== undefined) return toAction(row);
  const current = await findActionRow(db, id);
  if (current === undefined) throw new ApiError("PLUGBOARD_NOT_FOUND", `no action has id ${id}`);
  throw new ApiError(
    "PLUGBOARD_CONFLICT",
    `action ${id} is ${current.status}; expected ${change.from.join(" or ")}`,
    [
      {
        path: "status",
        message: `expected ${change.from.join(" or ")}, found ${current.status}`,
        code: "invalid_state",
      },
    ],
  );
}

/** Approves a pending action: it is queued for execution now. */
export function approveAction(db: Kysely<Schema>, id: string, input: ReviewInput) {
  return transition(db, id, {
    from: ["pending"],
    set: (now) => ({
      status: "queued",
      review_decision: "approved",
      reviewed_by: input.reviewer,
      review_reason: input.reason ?? null,
      reviewed_at: now,
      next_attempt_at: now,
    }),
    audit: "action.approve",
    input,
  });
}

/** Rejects a pending action: it is never executed. */
export function rejectAction(db: Kysely<Schema>, id: string, input: ReviewInput) {
  return transition(db, id, {
    from: ["pending"],
    set: (now) => ({
      status: "rejected",
      review_decision: "rejected",
      reviewed_by: input.reviewer,
      review_reason: input.reason ?? null,
      reviewed_at: now,
    }),
    audit: "action.reject",
    input,
  });
}

/**
 * Queues an action whose delivery is unknown, or that failed, for one more round of
 * attempts with a fresh retry budget, recording on the action who retried it and why. The
 * next attempt carries the same idempotency key.
 */
export function retryAction(db: Kysely<Schema>, id: string, input: ReviewInput) {
  return transition(db, id, {
    from: ["needs_attention", "failed"],
    set: (now) => ({
      status: "queued",
      next_attempt_at: now,
      automatic_retries: 0,
      lease_owner: null,
      lease_expires_at: null,
      retried_by: input.reviewer,
      retry_reason: input.reason ?? null,
      retried_at: now,
      retry_count: sql<number>`retry_count + 1`,
    }),
    audit: "action.retry",
    input,
  });
}
