import { InputRouteKindSchema, WorkItemKindSchema } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { toWireSchema, type WireSchema } from "./wire-case.js";

const CursorSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "expected a next_cursor value from an earlier page" });

/**
 * Something a worker produced from a route event, such as the follow-up pack's
 * `email_draft`. `body` is the draft itself; `actionIds` are the action requests the worker
 * made with it (a draft email's `send_email`), which governance then holds or runs.
 */
export const WorkItemSchema = z.strictObject({
  id: z.uuid(),
  workerId: z.string().min(1),
  kind: WorkItemKindSchema,
  title: z.string(),
  body: z.json(),
  /** The route event it was made from. */
  sourceEventId: z.string().min(1),
  routeKind: InputRouteKindSchema,
  /** Carried from the event that started the chain of work. */
  correlationId: z.string().min(1),
  actionIds: z.array(z.uuid()),
  createdAt: z.iso.datetime({ offset: true }),
});
export type WorkItem = z.infer<typeof WorkItemSchema>;

export const WorkItemParamsSchema = z.strictObject({ id: z.uuid() });

/** A page of work items, newest first; filters narrow it. */
export const WorkItemListQuerySchema = z.strictObject({
  cursor: CursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  workerId: z.string().min(1).max(100).optional(),
  kind: WorkItemKindSchema.optional(),
  /** Only work made from this route event. */
  sourceEventId: z.string().min(1).max(200).optional(),
});
export type WorkItemListQuery = z.infer<typeof WorkItemListQuerySchema>;

export const WorkItemListResponseSchema = z.strictObject({
  workItems: z.array(WorkItemSchema),
  nextCursor: z.string().nullable(),
});
export type WorkItemListResponse = z.infer<typeof WorkItemListResponseSchema>;

/**
 * Where one worker's handling of one route event stands: `drafted` (its work items are
 * stored, its action requests not yet all made; a redelivered event goes on from there),
 * `done` (its work items and action requests are recorded), `skipped` (nothing to do: its
 * pack is disabled, or the pack drafts nothing for this route), `failed` (the pack or an
 * action request failed; `detail` says why). Handling is idempotent per worker and event: a
 * redelivered event changes nothing once the run is done, skipped or failed.
 */
export const WORKER_RUN_STATUSES = ["drafted", "done", "skipped", "failed"] as const;
export const WorkerRunStatusSchema = z.enum(WORKER_RUN_STATUSES);
export type WorkerRunStatus = z.infer<typeof WorkerRunStatusSchema>;

export const WorkerRunSchema = z.strictObject({
  workerId: z.string().min(1),
  eventId: z.string().min(1),
  routeKind: InputRouteKindSchema,
  status: WorkerRunStatusSchema,
  workItemIds: z.array(z.uuid()),
  actionIds: z.array(z.uuid()),
  /** Why the run was skipped or failed. */
  detail: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type WorkerRun = z.infer<typeof WorkerRunSchema>;

export const WorkerRunListQuerySchema = z.strictObject({
  cursor: CursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  workerId: z.string().min(1).max(100).optional(),
  eventId: z.string().min(1).max(200).optional(),
  status: WorkerRunStatusSchema.optional(),
});
export type WorkerRunListQuery = z.infer<typeof WorkerRunListQuerySchema>;

export const WorkerRunListResponseSchema = z.strictObject({
  runs: z.array(WorkerRunSchema),
  nextCursor: z.string().nullable(),
});
export type WorkerRunListResponse = z.infer<typeof WorkerRunListResponseSchema>;

export const WorkItemWireSchema: WireSchema<typeof WorkItemSchema> = toWireSchema(WorkItemSchema);
export const WorkItemListResponseWireSchema: WireSchema<typeof WorkItemListResponseSchema> =
  toWireSchema(WorkItemListResponseSchema);
export const WorkerRunListResponseWireSchema: WireSchema<typeof WorkerRunListResponseSchema> =
  toWireSchema(WorkerRunListResponseSchema);
