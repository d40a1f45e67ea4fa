import { z } from "zod";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/** One recorded mutation: who did what to which target, and the revisions it moved between. */
export const AuditEntrySchema = z.strictObject({
  id: z.int().min(1),
  at: z.iso.datetime({ offset: true }),
  /** The id of the token that made the change (`system` for the host itself). */
  actor: z.string().min(1),
  /** What happened, as `<subject>.<verb>`: `token.create`, `worker.install`. */
  action: z.string().min(1),
  /** What it happened to: a plugin, token or worker id. */
  target: z.string().min(1),
  beforeRevision: z.string().nullable(),
  afterRevision: z.string().nullable(),
  /** Names and ids that explain the change; never a secret value. */
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** A page of the audit log, newest first; filters narrow it. */
export const AuditListQuerySchema = z.strictObject({
  /** `next_cursor` of the previous page; omitted for the newest page. */
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "expected a next_cursor value from an earlier page" })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  target: z.string().min(1).optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuerySchema>;

export const AuditListResponseSchema = z.strictObject({
  entries: z.array(AuditEntrySchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type AuditListResponse = z.infer<typeof AuditListResponseSchema>;

export const AuditListQueryWireSchema: WireSchema<typeof AuditListQuerySchema> =
  toWireSchema(AuditListQuerySchema);
export const AuditListResponseWireSchema: WireSchema<typeof AuditListResponseSchema> =
  toWireSchema(AuditListResponseSchema);
