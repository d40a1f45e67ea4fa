import { ActionKindSchema, BoundaryModeSchema, ProviderKeySchema } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { PluginIdSchema } from "./registry.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/**
 * Where an action request is in its life:
 * `pending` waits for review (boundary mode `ask_me`); `refused` was never allowed (`never`);
 * `rejected` was turned down by a reviewer; `queued` waits for an executor (boundary mode
 * `auto`, after approval, after a retryable error, or after an explicit retry); `in_flight`
 * is claimed by an executor; `needs_attention` was claimed but its outcome is unknown (the
 * executor stopped, or the transport could not tell) and waits for an explicit retry;
 * `succeeded` and `failed` are outcomes.
 */
export const ACTION_STATUSES = [
  "pending",
  "refused",
  "rejected",
  "queued",
  "in_flight",
  "needs_attention",
  "succeeded",
  "failed",
] as const;
export const ActionStatusSchema = z.enum(ACTION_STATUSES);
export type ActionStatus = z.infer<typeof ActionStatusSchema>;

/**
 * One execution attempt: `in_flight` from its claim until an outcome is recorded;
 * `unknown` when the executor stopped before recording one or the transport could not tell
 * whether the destination accepted it.
 */
export const ACTION_ATTEMPT_STATUSES = [
  "in_flight",
  "succeeded",
  "retryable_error",
  "permanent_error",
  "unknown",
] as const;
export const ActionAttemptStatusSchema = z.enum(ACTION_ATTEMPT_STATUSES);
export type ActionAttemptStatus = z.infer<typeof ActionAttemptStatusSchema>;

const ReasonSchema = z.string().trim().min(1).max(2000);
const TimestampSchema = z.iso.datetime({ offset: true });

/** Why an attempt did not succeed: a stable snake_case code and the transport's words. */
export const ActionErrorSchema = z.strictObject({
  code: z.string().min(1),
  message: z.string(),
});
export type ActionError = z.infer<typeof ActionErrorSchema>;

/**
 * What the executor reported for a success; its keys are the executor's (the SMTP send
 * reports `message_id`, `response`, `accepted` and `rejected`).
 */
export const ActionResultSchema = z.record(z.string(), z.unknown());
export type ActionResult = z.infer<typeof ActionResultSchema>;

/** A reviewer's decision on an action that waited for review. */
export const ActionReviewSchema = z.strictObject({
  decision: z.enum(["approved", "rejected"]),
  /** The id of the token that decided. */
  reviewedBy: z.string().min(1),
  reason: z.string().nullable(),
  reviewedAt: TimestampSchema,
});
export type ActionReview = z.infer<typeof ActionReviewSchema>;

/**
 * The latest explicit retry of an action (`POST /v1/actions/{id}/retry`): who asked for it,
 * why and when, and how many explicit retries there have been.
 */
export const ActionRetrySchema = z.strictObject({
  /** The id of the token that retried it. */
  retriedBy: z.string().min(1),
  reason: z.string().nullable(),
  retriedAt: TimestampSchema,
  count: z.int().min(1),
});
export type ActionRetry = z.infer<typeof ActionRetrySchema>;

/** An action request and where it stands. */
export const ActionSchema = z.strictObject({
  id: z.string().min(1),
  workerId: z.string().min(1),
  kind: ActionKindSchema,
  /** Null only on a refused request that named no destination. */
  destinationProvider: ProviderKeySchema.nullable(),
  /** The action executor plugin that runs it; null only on a refused request. */
  executorPluginId: PluginIdSchema.nullable(),
  /** The worker's boundary mode for the kind when the request was made. */
  boundaryMode: BoundaryModeSchema,
  status: ActionStatusSchema,
  /** What to do, in the executor's payload form (for `send_email`: `SendEmailActionPayload`). */
  payload: z.record(z.string(), z.unknown()),
  /** The id of the token (or `system`) that made the request. */
  requestedBy: z.string().min(1),
  review: ActionReviewSchema.nullable(),
  /** The latest explicit retry; null when the action was never retried. */
  lastRetry: ActionRetrySchema.nullable(),
  /** Sent with every attempt, so the destination can recognise a second copy. */
  idempotencyKey: z.string().min(1),
  attemptCount: z.int().min(0),
  /** When a queued action becomes due; null unless queued. */
  nextAttemptAt: TimestampSchema.nullable(),
  /** The executor's report of the successful attempt; null until one succeeds. */
  result: ActionResultSchema.nullable(),
  /** The error of the latest attempt that did not succeed; null after a success. */
  lastError: ActionErrorSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Action = z.infer<typeof ActionSchema>;

/** One execution attempt, recorded when it was claimed and completed with its outcome. */
export const ActionAttemptSchema = z.strictObject({
  attempt: z.int().min(1),
  idempotencyKey: z.string().min(1),
  /** The executor that claimed it. */
  executor: z.string().min(1),
  status: ActionAttemptStatusSchema,
  claimedAt: TimestampSchema,
  leaseExpiresAt: TimestampSchema,
  finishedAt: TimestampSchema.nullable(),
  result: ActionResultSchema.nullable(),
  error: ActionErrorSchema.nullable(),
});
export type ActionAttempt = z.infer<typeof ActionAttemptSchema>;

/** An action with every attempt, oldest first. */
export const ActionDetailSchema = ActionSchema.extend({
  attempts: z.array(ActionAttemptSchema),
});
export type ActionDetail = z.infer<typeof ActionDetailSchema>;

/**
 * Requests an action on behalf of a worker. The worker's boundary mode for the kind decides
 * what happens: `auto` queues it, `ask_me` holds it for review, `never` refuses it.
 */
export const ActionCreateRequestSchema = z.strictObject({
  workerId: z.string().min(1).max(100),
  kind: ActionKindSchema,
  /** The provider to act through; may be left out when one executor and provider fit. */
  destinationProvider: ProviderKeySchema.optional(),
  payload: z.record(z.string(), z.unknown()),
});
export type ActionCreateRequest = z.infer<typeof ActionCreateRequestSchema>;

/** A page of actions, newest first; filters narrow it. */
export const ActionListQuerySchema = z.strictObject({
  /** `next_cursor` of the previous page; omitted for the newest page. */
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "expected a next_cursor value from an earlier page" })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: ActionStatusSchema.optional(),
  workerId: z.string().min(1).max(100).optional(),
  kind: ActionKindSchema.optional(),
});
export type ActionListQuery = z.infer<typeof ActionListQuerySchema>;

export const ActionListResponseSchema = z.strictObject({
  actions: z.array(ActionSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ActionListResponse = z.infer<typeof ActionListResponseSchema>;

export const ActionParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

export const ActionApproveRequestSchema = z.strictObject({ reason: ReasonSchema.optional() });
export type ActionApproveRequest = z.infer<typeof ActionApproveRequestSchema>;

/** A rejection says why. */
export const ActionRejectRequestSchema = z.strictObject({ reason: ReasonSchema });
export type ActionRejectRequest = z.infer<typeof ActionRejectRequestSchema>;

export const ActionRetryRequestSchema = z.strictObject({ reason: ReasonSchema.optional() });
export type ActionRetryRequest = z.infer<typeof ActionRetryRequestSchema>;

export const ActionWireSchema: WireSchema<typeof ActionSchema> = toWireSchema(ActionSchema);
export const ActionDetailWireSchema: WireSchema<typeof ActionDetailSchema> =
  toWireSchema(ActionDetailSchema);
export const ActionListResponseWireSchema: WireSchema<typeof ActionListResponseSchema> =
  toWireSchema(ActionListResponseSchema);
export const ActionCreateRequestWireSchema: WireSchema<typeof ActionCreateRequestSchema> =
  toWireSchema(ActionCreateRequestSchema);
