import type { Kysely } from "kysely";
import type { Schema } from "../store/schema.js";

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly beforeRevision?: string | null;
  readonly afterRevision?: string | null;
  /** Never secret values: only names and ids. */
  readonly detail?: Record<string, unknown>;
}

/** Records a mutation; call it inside the mutation's transaction so both land or neither. */
export async function recordAudit(db: Kysely<Schema>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: new Date().toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      before_revision: entry.beforeRevision ?? null,
      after_revision: entry.afterRevision ?? null,
      detail_json: entry.detail === undefined ? null : JSON.stringify(entry.detail),
    })
    .execute();
}

export interface AuditPage {
  readonly entries: ReadonlyArray<{
    id: number;
    at: string;
    actor: string;
    action: string;
    target: string;
    beforeRevision: string | null;
    afterRevision: string | null;
    detail: unknown;
  }>;
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Newest first, `limit` per page, continuing below the cursor's id. */
export async function listAudit(
  db: Kysely<Schema>,
  cursor: number | undefined,
  limit: number,
): Promise<AuditPage> {
  let query = db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("id", "desc")
    .limit(limit + 1);
  if (cursor !== undefined) query = query.where("id", "<", cursor);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map((row) => ({
      id: Number(row.id),
      at: row.at,
      actor: row.actor,
      action: row.action,
      target: row.target,
      beforeRevision: row.before_revision,
      afterRevision: row.after_revision,
      detail: row.detail_json === null ? null : JSON.parse(row.detail_json),
    })),
    nextCursor: rows.length > limit && last !== undefined ? String(last.id) : null,
  };
}
