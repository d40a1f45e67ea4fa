import type { ChannelJob, ChannelSendRequest } from "@plugboard/contracts";
import type { ChannelManifest, ConfigValue } from "@plugboard/plugin-sdk";
import { createHttpRuntimeClient, type SecretStore, sendEgressRequest } from "@plugboard/runtime";
import type { Kysely } from "kysely";
import type { EgressSettings } from "../config.js";
import { ApiError } from "../http/problem-handler.js";
import { currentConfig } from "../plugin-config/config-store.js";
import { effectiveConfig } from "../plugin-host/effective-config.js";
import { egressLookup, egressPolicyFor } from "../plugin-host/egress-settings.js";
import { parseStoredManifest } from "../plugins/plugin-catalog.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";
import { isUniqueViolation } from "../store/unique-violation.js";
import { requestDigest } from "../workers/idempotency.js";
import {
  failUnfinishedSends,
  findJobByKey,
  findJobRow,
  insertJob,
  isFinal,
  type JobUpdate,
  toChannelJob,
  updateJob,
} from "./channel-job-store.js";
import type { ChannelTransport } from "./channel-transport.js";
import { httpChannelTransport } from "./http-channel-transport.js";

/** What sending through channels needs, built once by the composition root. */
export interface ChannelServices {
  readonly db: Kysely<Schema>;
  readonly registry: RegistryCache;
  readonly secrets: SecretStore;
  readonly egress: EgressSettings;
  /**
   * The transport of a channel whose runtime is plugin code, running in this host; undefined
   * when it is not loaded.
   */
  readonly codeTransport: (manifest: ChannelManifest) => ChannelTransport | undefined;
}

function notFound(path: string, message: string): never {
  throw new ApiError("PLUGBOARD_NOT_FOUND", message, [{ path, message, code: "not_found" }]);
}

function conflict(path: string, code: string, message: string): never {
  throw new ApiError("PLUGBOARD_CONFLICT", message, [{ path, message, code }]);
}

/** The enabled channel with this id, or a 404 naming it. */
async function enabledChannel(registry: RegistryCache, id: string): Promise<ChannelManifest> {
  const entry = (await registry.entries()).find((candidate) => candidate.id === id);
  if (entry === undefined || entry.kind !== "channel") {
    notFound("plugin_id", `no channel has id ${id}`);
  }
  if (!entry.installation.enabled) conflict("plugin_id", "disabled", `${id} is disabled`);
  const { installation: _installation, ...manifest } = entry;
  return manifest;
}

/** The transport for a channel as a job was (or is being) sent with. */
function transportFor(
  services: ChannelServices,
  manifest: ChannelManifest,
  config: Readonly<Record<string, ConfigValue>>,
): ChannelTransport {
  const { runtime } = manifest;
  if (runtime?.type === "http") {
    const policy = egressPolicyFor(manifest.permissions ?? [], services.egress);
    const lookup = egressLookup(services.egress);
    const client = createHttpRuntimeClient({
      manifest: { id: manifest.id, runtime },
      config,
      secrets: (key) => services.secrets.resolve(manifest.id, key),
      send: (request, { signal }) =>
        sendEgressRequest(request, policy, { lookup, ...(signal === undefined ? {} : { signal }) }),
    });
    return httpChannelTransport(runtime, client);
  }
  const code = runtime === undefined ? undefined : services.codeTransport(manifest);
  if (code === undefined) {
    conflict(
      "plugin_id",
      "not_running",
      runtime === undefined
        ? `${manifest.id} has no runtime: it describes a channel but cannot send`
        : `${manifest.id}'s code is not running here; see GET /v1/plugins/${manifest.id}/health`,
    );
  }
  return code;
}

/**
 * What a transport call that threw (the secret store or the sender failing, not the
 * provider) is recorded as. `retryable` is false for a send: the request may have gone out.
 */
function hostFailure(error: unknown, doing: string, failsJob: boolean): JobUpdate {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    failsJob,
    error: {
      code: "host_failed",
      message: `the control plane failed while ${doing}: ${reason}`,
      retryable: !failsJob,
      httpStatus: null,
    },
  };
}

/**
 * POST /v1/channels/{pluginId}/send: records a job as `queued` with the channel's manifest
 * and effective config (and its audit entry, in one transaction), then sends. What the
 * provider answered (or why it could not be asked) is written to the job, which is
 * returned; a failed send, also one the control plane itself could not finish, is a
 * `failed` job with `last_error`. A repeated Idempotency-Key returns the first job without
 * sending again.
 */
export async function sendThroughChannel(
  services: ChannelServices,
  pluginId: string,
  request: ChannelSendRequest,
  caller: { readonly actor: string; readonly requestKey: string | undefined },
): Promise<ChannelJob> {
  const { db } = services;
  const digest = requestDigest({ pluginId, request });
  await failUnfinishedSends(db);
  if (caller.requestKey !== undefined) {
    const earlier = await findJobByKey(db, pluginId, caller.requestKey);
    if (earlier !== undefined) return sameRequest(earlier, digest);
  }
  const manifest = await enabledChannel(services.registry, pluginId);
  if (!manifest.operations.includes(request.operation)) {
    throw new ApiError("PLUGBOARD_VALIDATION_FAILED", `${pluginId} does not ${request.operation}`, [
      {
        path: "operation",
        code: "operation_not_declared",
        message: `expected one of the channel's operations: ${manifest.operations.join(", ")}`,
      },
    ]);
  }
  const stored = await currentConfig(db, pluginId);
  const config = effectiveConfig(manifest.configSchema, stored?.config);
  if (!config.valid) {
    throw new ApiError(
      "PLUGBOARD_CONFLICT",
      `${pluginId} is not configured: set its config (PUT /v1/plugins/${pluginId}/config) first`,
      [...config.issues],
    );
  }
  const transport = transportFor(services, manifest, config.config);
  let row: Awaited<ReturnType<typeof insertJob>>;
  try {
    row = await insertJob(db, {
      manifest,
      config: config.config,
      configRevision: stored?.revision ?? 0,
      request,
      requestKey: caller.requestKey,
      requestDigest: digest,
      createdBy: caller.actor,
    });
  } catch (error) {
    // A concurrent request with the same key recorded its job first: answer with that one.
    if (!isUniqueViolation(error) || caller.requestKey === undefined) throw error;
    const first = await findJobByKey(db, pluginId, caller.requestKey);
    if (first === undefined) throw error;
    return sameRequest(first, digest);
  }
  let update: JobUpdate;
  try {
    update = await transport.send(request);
  } catch (error) {
    update = hostFailure(error, `sending ${request.operation}`, true);
  }
  return updateJob(db, row.id, update, false);
}

function sameRequest(row: Parameters<typeof toChannelJob>[0], digest: string): ChannelJob {
  if (row.request_digest !== digest) {
    throw new ApiError(
      "PLUGBOARD_VALIDATION_FAILED",
      "this Idempotency-Key was already used with a different request",
      [
        {
          path: "headers.idempotency-key",
          message: "expected a new key for a different request",
          code: "idempotency_key_reused",
        },
      ],
    );
  }
  return toChannelJob(row);
}

/**
 * GET /v1/jobs/{id}: the job, after failing it when its send never finished.
 */
export async function readChannelJob(db: Kysely<Schema>, id: string): Promise<ChannelJob> {
  await failUnfinishedSends(db);
  const row = await findJobRow(db, id);
  if (row === undefined) notFound("id", `no job has id ${id}`);
  return toChannelJob(row);
}

/**
 * POST /v1/jobs/{id}/refresh: asks the provider where the job stands with the manifest and
 * config the job was sent with (secrets are read as they are now). A job that succeeded or
 * failed is returned as it is; a refresh that ends after another one ended the job changes
 * nothing.
 */
export async function refreshChannelJob(
  services: ChannelServices,
  id: string,
): Promise<ChannelJob> {
  await failUnfinishedSends(services.db);
  const row = await findJobRow(services.db, id);
  if (row === undefined) notFound("id", `no job has id ${id}`);
  if (isFinal(row.status)) return toChannelJob(row);
  if (row.provider_job_id === null) {
    const job = toChannelJob(row);
    conflict(
      "id",
      "no_provider_job",
      job.lastError === null
        ? `job ${id} has no provider job id to ask about yet: its send has not finished`
        : `job ${id} has no provider job id to ask about: ${job.lastError.message}`,
    );
  }
  const manifest = parseStoredManifest(row.plugin_id, row.manifest_json);
  if (manifest.kind !== "channel") throw new Error(`job ${id} was not sent through a channel`);
  const config: Record<string, ConfigValue> = JSON.parse(row.config_json);
  const transport = transportFor(services, manifest, config);
  if (!transport.canGetStatus) {
    conflict("id", "no_get_status", `${manifest.id} has no get_status operation to ask with`);
  }
  let update: JobUpdate;
  try {
    update = await transport.getStatus(row.provider_job_id);
  } catch (error) {
    update = hostFailure(error, "asking for the job's status", false);
  }
  return updateJob(services.db, id, update, true);
}
