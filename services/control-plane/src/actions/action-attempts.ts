import type { ActionAttemptStatus, ActionError, ActionStatus } from "@plugboard/contracts";
import type { Kysely, Selectable } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import type { ActionTable, Schema } from "../store/schema.js";
import type { ExecutionOutcome } from "./action-executor-implementation.js";

/** The actor recorded in the audit log for what executors do. */
export const EXECUTOR_ACTOR = "system";

/** An action this executor holds the claim on: the row as the claim left it. */
export interface ClaimedAction {
  readonly row: Selectable<ActionTable>;
  readonly attempt: number;
  readonly leaseExpiresAt: string;
}

const isoAfter = (from: Date, ms: number) => new Date(from.getTime() + ms).toISOString();

/**
 * Claims one due queued action for `owner`: a conditional update from `queued` (so of several
 * executors on one database exactly one wins each action) and the attempt row with the
 * action's idempotency key, in one transaction, before anything is sent. `contended` holds
 * the ids other loops of this process are claiming right now; they are skipped, as only one
 * could win.
 */
export async function claimNextAction(
  db: Kysely<Schema>,
  owner: string,
  leaseMs: number,
  contended: Set<string> = new Set(),
): Promise<ClaimedAction | undefined> {
  const candidates = await db
    .selectFrom("actions")
    .select(["id", "attempt_count"])
    .where("status", "=", "queued")
    .where("next_attempt_at", "<=", new Date().toISOString())
    .orderBy("next_attempt_at")
    .orderBy("seq")
    .limit(8 + contended.size)
    .execute();
  for (const candidate of candidates) {
    if (contended.has(candidate.id)) continue;
    contended.add(candidate.id);
    try {
      const claimed = await claimCandidate(db, owner, leaseMs, candidate);
      if (claimed !== undefined) return claimed;
    } finally {
      contended.delete(candidate.id);
    }
  }
  return undefined;
}

async function claimCandidate(
  db: Kysely<Schema>,
  owner: string,
  leaseMs: number,
  candidate: { readonly id: string; readonly attempt_count: number },
): Promise<ClaimedAction | undefined> {
  const now = new Date();
  const claimedAt = now.toISOString();
  const leaseExpiresAt = isoAfter(now, leaseMs);
  const attempt = candidate.attempt_count + 1;
  const claimed = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("actions")
      .set({
        status: "in_flight",
        attempt_count: attempt,
        next_attempt_at: null,
        lease_owner: owner,
        lease_expires_at: leaseExpiresAt,
        updated_at: claimedAt,
      })
      .where("id", "=", candidate.id)
      .where("status", "=", "queued")
      .where("attempt_count", "=", candidate.attempt_count)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) return undefined;
    await trx
      .insertInto("action_attempts")
      .values({
        action_id: row.id,
        attempt,
        idempotency_key: row.idempotency_key,
        executor: owner,
        status: "in_flight" satisfies ActionAttemptStatus,
        claimed_at: claimedAt,
        lease_expires_at: leaseExpiresAt,
        finished_at: null,
        result_json: null,
        error_json: null,
      })
      .execute();
    await recordAudit(trx, {
      actor: EXECUTOR_ACTOR,
      action: "action.claim",
      target: row.id,
      detail: { attempt, executor: owner, leaseExpiresAt },
    });
    return row;
  });
  return claimed === undefined ? undefined : { row: claimed, attempt, leaseExpiresAt };
}

/**
 * Extends the claim `owner` holds on an action by `leaseMs` from now, on the action and its
 * attempt row, while the attempt runs. Returns the new expiry, or undefined when the claim is
 * no longer this attempt's (its lease ran out and it was surfaced, or it was retried).
 */
export async function renewLease(
  db: Kysely<Schema>,
  claimed: ClaimedAction,
  owner: string,
  leaseMs: number,
): Promise<string | undefined> {
  const now = new Date();
  const leaseExpiresAt = isoAfter(now, leaseMs);
  return db.transaction().execute(async (trx) => {
    const renewed = await trx
      .updateTable("actions")
      .set({ lease_expires_at: leaseExpiresAt })
      .where("id", "=", claimed.row.id)
      .where("status", "=", "in_flight")
      .where("attempt_count", "=", claimed.attempt)
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    if (renewed.numUpdatedRows === 0n) return undefined;
    await trx
      .updateTable("action_attempts")
      .set({ lease_expires_at: leaseExpiresAt })
      .where("action_id", "=", claimed.row.id)
      .where("attempt", "=", claimed.attempt)
      .execute();
    return leaseExpiresAt;
  });
}

/**
 * Surfaces every in-flight action whose lease has run out: its executor stopped (or is far
 * past its deadline) between claim and outcome, so whether it was delivered is unknown. The
 * action becomes `needs_attention` and waits for an explicit retry; it is never resent here.
 * Returns how many were surfaced.
 */
export async function surfaceExpiredClaims(db: Kysely<Schema>): Promise<number> {
  const now = new Date().toISOString();
  const expired = await db
    .selectFrom("actions")
    .select(["id", "attempt_count", "lease_owner"])
    .where("status", "=", "in_flight")
    .where("lease_expires_at", "<", now)
    .execute();
  let surfaced = 0;
  for (const action of expired) {
    const error: ActionError = {
      code: "lease_expired",
      message: `executor ${action.lease_owner ?? "unknown"} recorded no outcome before its lease ran out; the destination may or may not have received it`,
    };
    const done = await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable("actions")
        .set({
          status: "needs_attention" satisfies ActionStatus,
          lease_owner: null,
          lease_expires_at: null,
          last_error_json: JSON.stringify(error),
          updated_at: now,
        })
        .where("id", "=", action.id)
        .where("status", "=", "in_flight")
        .where("attempt_count", "=", action.attempt_count)
        .where("lease_expires_at", "<", now)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return false;
      await trx
        .updateTable("action_attempts")
        .set({ status: "unknown" satisfies ActionAttemptStatus, error_json: JSON.stringify(error) })
        .where("action_id", "=", action.id)
        .where("attempt", "=", action.attempt_count)
        .where("status", "=", "in_flight")
        .execute();
      await recordAudit(trx, {
        actor: EXECUTOR_ACTOR,
        action: "action.needs_attention",
        target: action.id,
        detail: { attempt: action.attempt_count, reason: error.code },
      });
      return true;
    });
    if (done) surfaced += 1;
  }
  return surfaced;
}

/** How retries after retryable errors are spaced and bounded. */
export interface RetryPolicy {
  /** Attempts in one round, counting the first; the last retryable error then fails it. */
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

/** The wait before retry number `retry` (0 for the first): doubling from the base, capped. */
export function backoffDelayMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** retry);
}

interface OutcomeChange {
  readonly attemptStatus: ActionAttemptStatus;
  readonly actionStatus: ActionStatus;
  readonly audit: string;
  readonly nextAttemptAt: string | null;
  readonly automaticRetries: number;
}

function outcomeChange(
  claimed: ClaimedAction,
  outcome: ExecutionOutcome,
  policy: RetryPolicy,
  now: Date,
): OutcomeChange {
  const retries = claimed.row.automatic_retries;
  switch (outcome.type) {
    case "succeeded":
      return {
        attemptStatus: "succeeded",
        actionStatus: "succeeded",
        audit: "action.succeed",
        nextAttemptAt: null,
        automaticRetries: retries,
      };
    case "retryable":
      if (retries + 1 >= policy.maxAttempts) {
        return {
          attemptStatus: "retryable_error",
          actionStatus: "failed",
          audit: "action.fail",
          nextAttemptAt: null,
          automaticRetries: retries,
        };
      }
      return {
        attemptStatus: "retryable_error",
        actionStatus: "queued",
        audit: "action.defer",
        nextAttemptAt: isoAfter(now, backoffDelayMs(policy, retries)),
        automaticRetries: retries + 1,
      };
    case "permanent":
      return {
        attemptStatus: "permanent_error",
        actionStatus: "failed",
        audit: "action.fail",
        nextAttemptAt: null,
        automaticRetries: retries,
      };
    case "unknown":
      return {
        attemptStatus: "unknown",
        actionStatus: "needs_attention",
        audit: "action.needs_attention",
        nextAttemptAt: null,
        automaticRetries: retries,
      };
    default: {
      const exhaustive: never = outcome;
      return exhaustive;
    }
  }
}

/**
 * Records an attempt's outcome after the executor returned, and moves the action on. The
 * attempt row always gets the outcome; the action moves only while this attempt is still its
 * latest, so an outcome arriving after the lease ran out still resolves `needs_attention`
 * but never overrides a newer attempt.
 */
export async function recordOutcome(
  db: Kysely<Schema>,
  claimed: ClaimedAction,
  outcome: ExecutionOutcome,
  policy: RetryPolicy,
): Promise<void> {
  const now = new Date();
  const at = now.toISOString();
  const change = outcomeChange(claimed, outcome, policy, now);
  const result = outcome.type === "succeeded" ? JSON.stringify(outcome.result) : null;
  const error = outcome.type === "succeeded" ? null : JSON.stringify(outcome.error);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("action_attempts")
      .set({
        status: change.attemptStatus,
        finished_at: at,
        result_json: result,
        error_json: error,
      })
      .where("action_id", "=", claimed.row.id)
      .where("attempt", "=", claimed.attempt)
      .execute();
    const moved = await trx
      .updateTable("actions")
      .set({
        status: change.actionStatus,
        next_attempt_at: change.nextAttemptAt,
        automatic_retries: change.automaticRetries,
        lease_owner: null,
        lease_expires_at: null,
        ...(result === null ? {} : { result_json: result }),
        last_error_json: error,
        updated_at: at,
      })
      .where("id", "=", claimed.row.id)
      .where("attempt_count", "=", claimed.attempt)
      .where("status", "in", ["in_flight", "needs_attention"])
      .executeTakeFirst();
    await recordAudit(trx, {
      actor: EXECUTOR_ACTOR,
      action: change.audit,
      target: claimed.row.id,
      detail: {
        attempt: claimed.attempt,
        outcome: outcome.type,
        ...(outcome.type === "succeeded" ? {} : { error: outcome.error.code }),
        ...(change.nextAttemptAt === null ? {} : { nextAttemptAt: change.nextAttemptAt }),
        ...(moved.numUpdatedRows === 0n ? { superseded: true } : {}),
      },
    });
  });
}

/** When the earliest queued action becomes due, or undefined when none is queued. */
export async function nextDueAt(db: Kysely<Schema>): Promise<string | undefined> {
  const row = await db
    .selectFrom("actions")
    .select("next_attempt_at")
    .where("status", "=", "queued")
    .orderBy("next_attempt_at")
    .limit(1)
    .executeTakeFirst();
  return row?.next_attempt_at ?? undefined;
}
