import { randomUUID } from "node:crypto";
import {
  type ChannelJob,
  ChannelJobSchema,
  type ChannelSendRequest,
  type JobError,
  type JobListQuery,
} from "@plugboard/contracts";
import type { ConfigValue, JobStatus, PluginManifest } from "@plugboard/plugin-sdk";
import type { Kysely, Selectable } from "kysely";
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

/** Records a job before anything is sent, as `queued`, with the snapshot it is sent with. */
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
  return db
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
}

/** What the provider said, or why it could not be asked. */
export type JobUpdate =
  | {
      readonly ok: true;
      readonly status: JobStatus | undefined;
      readonly providerJobId: string | undefined;
      readonly providerStatus: string | undefined;
    }
  | { readonly ok: false; readonly error: JobError; readonly failsJob: boolean };

/**
 * Writes what a send or refresh learnt. A status the provider gave (through the status map)
 * replaces the job's; a failed send fails the job, a failed refresh only records its error.
 */
export async function updateJob(
  db: Kysely<Schema>,
  row: JobRow,
  update: JobUpdate,
  refresh: boolean,
): Promise<ChannelJob> {
  const now = new Date().toISOString();
  const changes = update.ok
    ? {
        status: update.status ?? row.status,
        provider_job_id: update.providerJobId ?? row.provider_job_id,
        provider_status: update.providerStatus ?? row.provider_status,
        last_error_json: null,
      }
    : {
        status: update.failsJob ? "failed" : row.status,
        last_error_json: JSON.stringify(update.error),
      };
  const updated = await db
    .updateTable("channel_jobs")
    .set({
      ...changes,
      updated_at: now,
      ...(refresh ? { refreshes: row.refreshes + 1, last_refreshed_at: now } : {}),
    })
    .where("id", "=", row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toChannelJob(updated);
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
