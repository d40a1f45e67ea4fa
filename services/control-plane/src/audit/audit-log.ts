import type { AuditEntry } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import { encodePageCursor } from "../http/page-cursor.js";
import type { Schema } from "../store/schema.js";

export interface AuditRecord {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly beforeRevision?: string | null;
  readonly afterRevision?: string | null;
  /** Never secret values: only names and ids. */
  readonly detail?: Record<string, unknown>;
}

/** Records a mutation; call it inside the mutation's transaction so both land or neither. */
export async function recordAudit(db: Kysely<Schema>, entry: AuditRecord): Promise<void> {
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

export interface AuditFilter {
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  readonly target?: string | undefined;
}

export interface AuditPage {
  readonly entries: AuditEntry[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Newest first, `limit` per page, continuing below `before` (an id) when given. */
export async function listAudit(
  db: Kysely<Schema>,
  page: { readonly before?: number | undefined; readonly limit: number } & AuditFilter,
): Promise<AuditPage> {
  let query = db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("id", "desc")
    .limit(page.limit + 1);
  if (page.before !== undefined) query = query.where("id", "<", page.before);
  if (page.actor !== undefined) query = query.where("actor", "=", page.actor);
  if (page.action !== undefined) query = query.where("action", "=", page.action);
  if (page.target !== undefined) query = query.where("target", "=", page.target);
  const rows = await query.execute();
  const entries = rows.slice(0, page.limit).map(
    (row): AuditEntry => ({
      id: Number(row.id),
      at: row.at,
      actor: row.actor,
      action: row.action,
      target: row.target,
      beforeRevision: row.before_revision,
      afterRevision: row.after_revision,
      detail: row.detail_json === null ? null : JSON.parse(row.detail_json),
    }),
  );
  const last = entries.at(-1);
  return {
    entries,
    nextCursor: rows.length > page.limit && last !== undefined ? encodePageCursor(last.id) : null,
  };
}
