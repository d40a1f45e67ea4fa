import { randomUUID } from "node:crypto";
import {
  type ChannelJob,
  ChannelJobSchema,
  type ChannelSendRequest,
  type JobError,
  type JobListQuery,
} from "@plugboard/contracts";
import type { ConfigValue, JobStatus, PluginManifest } from "@plugboard/plugin-sdk";
import { type Kysely, type Selectable, sql } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import { pageOf } from "../http/page-cursor.js";
import type { ChannelJobTable, Schema } from "../store/schema.js";

type JobRow = Selectable<ChannelJobTable>;

// A stored row is outside input too (an older version may have written it): parse it.
export function toChannelJob(row: JobRow): ChannelJob {
  return ChannelJobSchema.parse({
    id: row.id,
    pluginId: row.plugin_id,
    operation: row.operation,
    status: row.status,
    input: JSON.parse(row.input_json),
    providerJobId: row.provider_job_id,
    providerStatus: row.provider_status,
    manifestVersion: row.manifest_version,
    configRevision: row.config_revision,
    lastError: row.last_error_json === null ? null : JSON.parse(row.last_error_json),
    refreshes: row.refreshes,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRefreshedAt: row.last_refreshed_at,
  });
}

/** What a job was sent with: read back for every refresh. */
export interface JobSnapshot {
  readonly manifestJson: string;
  readonly config: Readonly<Record<string, ConfigValue>>;
}

export async function findJobRow(db: Kysely<Schema>, id: string): Promise<JobRow | undefined> {
  return db.selectFrom("channel_jobs").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findJobByKey(
  db: Kysely<Schema>,
  pluginId: string,
  requestKey: string,
): Promise<JobRow | undefined> {
  return db
    .selectFrom("channel_jobs")
    .selectAll()
    .where("plugin_id", "=", pluginId)
    .where("request_key", "=", requestKey)
    .executeTakeFirst();
}

/**
 * Records a job before anything is sent, as `queued`, with the snapshot it is sent with, and
 * its audit entry in the same transaction: both land or neither.
 */
export async function insertJob(
  db: Kysely<Schema>,
  job: {
    readonly manifest: PluginManifest;
    readonly config: Readonly<Record<string, ConfigValue>>;
    readonly configRevision: number;
    readonly request: ChannelSendRequest;
    readonly requestKey: string | undefined;
    readonly requestDigest: string;
    readonly createdBy: string;
  },
): Promise<JobRow> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("channel_jobs")
      .values({
        id: randomUUID(),
        plugin_id: job.manifest.id,
        operation: job.request.operation,
        status: "queued",
        input_json: JSON.stringify(job.request.input),
        provider_job_id: null,
        provider_status: null,
        manifest_json: JSON.stringify(job.manifest),
        manifest_version: job.manifest.version,
        config_json: JSON.stringify(job.config),
        config_revision: job.configRevision,
        last_error_json: null,
        refreshes: 0,
        request_key: job.requestKey ?? null,
        request_digest: job.requestDigest,
        created_by: job.createdBy,
        created_at: now,
        updated_at: now,
        last_refreshed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: job.createdBy,
      action: "channel.send",
      target: row.id,
      detail: {
        pluginId: job.manifest.id,
        operation: job.request.operation,
        manifestVersion: job.manifest.version,
      },
    });
    return row;
  });
}

/** What the provider said, or why it could not be asked. */
export type JobUpdate =
  | {
      readonly ok: true;
      readonly status: JobStatus | undefined;
      readonly providerJobId: string | undefined;
      readonly providerStatus: string | undefined;
      /** What the answer lacked, though it was an answer (a send that named no job id). */
      readonly lastError: JobError | null;
    }
  | { readonly ok: false; readonly error: JobError; readonly failsJob: boolean };

const FINAL_STATUSES: readonly JobStatus[] = ["succeeded", "failed"];

/** Whether a job has ended: nothing changes it any more. */
export function isFinal(status: string): boolean {
  return FINAL_STATUSES.some((final) => final === status);
}

/**
 * Writes what a send or refresh learnt, unless the job has ended meanwhile: a job that
 * succeeded or failed is never changed again, so a slow refresh cannot undo a later one.
 * A status the provider gave (through the status map) replaces the job's; a failed send
 * fails the job, a failed refresh only records its error. Refreshes are counted in the
 * database, so concurrent ones are each counted.
 */
export async function updateJob(
  db: Kysely<Schema>,
  id: string,
  update: JobUpdate,
  refresh: boolean,
): Promise<ChannelJob> {
  const now = new Date().toISOString();
  const changes = update.ok
    ? {
        ...(update.status === undefined ? {} : { status: update.status }),
        ...(update.providerJobId === undefined ? {} : { provider_job_id: update.providerJobId }),
        ...(update.providerStatus === undefined ? {} : { provider_status: update.providerStatus }),
        last_error_json: update.lastError === null ? null : JSON.stringify(update.lastError),
      }
    : {
        ...(update.failsJob ? { status: "failed" } : {}),
        last_error_json: JSON.stringify(update.error),
      };
  const updated = await db
    .updateTable("channel_jobs")
    .set({
      ...changes,
      updated_at: now,
      ...(refresh ? { refreshes: sql<number>`refreshes + 1`, last_refreshed_at: now } : {}),
    })
    .where("id", "=", id)
    .where("status", "not in", FINAL_STATUSES)
    .returningAll()
    .executeTakeFirst();
  if (updated !== undefined) return toChannelJob(updated);
  const current = await findJobRow(db, id);
  if (current === undefined) throw new Error(`job ${id} disappeared while it was updated`);
  return toChannelJob(current);
}

/**
 * Longer than any send can take: the egress guard's timeout and the sandbox's wall-clock
 * limit are at most 10 minutes each.
 */
export const UNFINISHED_SEND_MS = 15 * 60_000;

/** What a job whose send never finished records as its error. */
export const UNFINISHED_SEND_ERROR: JobError = {
  code: "send_unfinished",
  message:
    "the send never finished: the control plane stopped or failed after recording the job and before recording the provider's answer; the provider may or may not have the job, so check with it before sending again",
  retryable: false,
  httpStatus: null,
};

/**
 * Fails the jobs whose send never finished: still `queued`, with neither a provider job id
 * nor an error, `UNFINISHED_SEND_MS` after they were recorded. A send in flight is never
 * that old; such a job was left by a process that stopped mid-send.
 */
export async function failUnfinishedSends(db: Kysely<Schema>, now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - UNFINISHED_SEND_MS).toISOString();
  await db
    .updateTable("channel_jobs")
    .set({
      status: "failed",
      last_error_json: JSON.stringify(UNFINISHED_SEND_ERROR),
      updated_at: now.toISOString(),
    })
    .where("status", "=", "queued")
    .where("provider_job_id", "is", null)
    .where("last_error_json", "is", null)
    .where("created_at", "<", cutoff)
    .execute();
}

/** Newest first, `limit` per page, continuing below `before` when given. */
export async function listJobs(
  db: Kysely<Schema>,
  page: Omit<JobListQuery, "cursor"> & { readonly before: number | undefined },
): Promise<{ jobs: ChannelJob[]; nextCursor: string | null }> {
  let query = db
    .selectFrom("channel_jobs")
    .selectAll()
    .orderBy("seq", "desc")
    .limit(page.limit + 1);
  if (page.before !== undefined) query = query.where("seq", "<", page.before);
  if (page.pluginId !== undefined) query = query.where("plugin_id", "=", page.pluginId);
  if (page.status !== undefined) query = query.where("status", "=", page.status);
  const { rows, nextCursor } = pageOf(await query.execute(), page.limit, (row) => row.seq);
  return { jobs: rows.map(toChannelJob), nextCursor };
}
