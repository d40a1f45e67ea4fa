import { randomUUID } from "node:crypto";
import type { Action } from "@plugboard/contracts";
import { type BoundaryMode, BoundaryModeSchema } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../http/problem-handler.js";
import { loadCatalog } from "../plugins/plugin-catalog.js";
import type { Schema } from "../store/schema.js";
import { isUniqueViolation } from "../store/unique-violation.js";
import { requestDigest } from "../workers/idempotency.js";
import { toAction } from "./action-records.js";
import { type ExecutorImplementations, resolveExecutor } from "./executor-resolution.js";

/** An action a worker (or an operator on its behalf) asks for. */
export interface ActionRequestInput {
  readonly workerId: string;
  readonly kind: string;
  /** The provider to act through; may be left out when one executor and provider fit. */
  readonly destinationProvider?: string | undefined;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The token id, or `system`, asking. */
  readonly requestedBy: string;
  /** Makes a repeated request (same worker, same key) return the first action. */
  readonly requestKey?: string | undefined;
}

/** Where a new request goes, by the worker's boundary mode for its kind. */
const STATUS_BY_MODE = {
  auto: "queued",
  ask_me: "pending",
  never: "refused",
} as const satisfies Record<BoundaryMode, Action["status"]>;

async function boundaryModeOf(
  db: Kysely<Schema>,
  workerId: string,
  kind: string,
): Promise<BoundaryMode> {
  const worker = await db
    .selectFrom("workers")
    .select("id")
    .where("id", "=", workerId)
    .executeTakeFirst();
  if (worker === undefined) {
    const message = `no worker has id ${workerId}`;
    throw new ApiError("PLUGBOARD_NOT_FOUND", message, [
      { path: "worker_id", message, code: "not_found" },
    ]);
  }
  const capability = await db
    .selectFrom("worker_action_capabilities")
    .select("boundary_mode")
    .where("worker_id", "=", workerId)
    .where("kind", "=", kind)
    .executeTakeFirst();
  if (capability === undefined) {
    const message = `worker ${workerId} has no action capability ${kind}`;
    throw new ApiError("PLUGBOARD_VALIDATION_FAILED", message, [
      { path: "kind", message, code: "not_a_capability" },
    ]);
  }
  // A stored row is outside input: an unknown mode stops here rather than being guessed at.
  return BoundaryModeSchema.parse(capability.boundary_mode);
}

/** The earlier action with this worker's request key, or 422 when it asked for something else. */
async function earlierRequest(
  db: Kysely<Schema>,
  input: ActionRequestInput,
  digest: string,
): Promise<Action | undefined> {
  if (input.requestKey === undefined) return undefined;
  const row = await db
    .selectFrom("actions")
    .selectAll()
    .where("worker_id", "=", input.workerId)
    .where("request_key", "=", input.requestKey)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (row.request_digest !== digest) {
    throw new ApiError(
      "PLUGBOARD_VALIDATION_FAILED",
      "this Idempotency-Key was already used with a different request body",
      [
        {
          path: "headers.idempotency-key",
          message: "expected a new key for a different request",
          code: "idempotency_key_reused",
        },
      ],
    );
  }
  return toAction(row);
}

/**
 * Records an action request and governs it by the worker's boundary mode for its kind: `auto`
 * queues it for an executor, `ask_me` holds it as `pending` for review, `never` records it as
 * `refused`. Throws 404 for an unknown worker and 422 for a kind the worker may not request,
 * a kind no executor here performs, or a payload the executor does not accept. A refused
 * request is recorded as given, without looking for an executor.
 */
export async function createActionRequest(
  db: Kysely<Schema>,
  executors: ExecutorImplementations,
  input: ActionRequestInput,
): Promise<Action> {
  const digest = requestDigest({
    workerId: input.workerId,
    kind: input.kind,
    destinationProvider: input.destinationProvider ?? null,
    payload: input.payload,
  });
  const earlier = await earlierRequest(db, input, digest);
  if (earlier !== undefined) return earlier;
  const mode = await boundaryModeOf(db, input.workerId, input.kind);
  let destinationProvider = input.destinationProvider ?? null;
  let executorPluginId: string | null = null;
  if (mode !== "never") {
    const resolution = resolveExecutor(await loadCatalog(db), executors, input);
    if ("problem" in resolution) {
      throw new ApiError("PLUGBOARD_VALIDATION_FAILED", resolution.problem.message, [
        resolution.problem,
      ]);
    }
    const { resolved } = resolution;
    const issues = resolved.implementation.checkPayload(input.payload);
    if (issues.length > 0) {
      throw new ApiError(
        "PLUGBOARD_VALIDATION_FAILED",
        `the payload is not one ${resolved.manifest.id} accepts`,
        issues.map((issue) => ({
          ...issue,
          path: issue.path === "" ? "payload" : `payload.${issue.path}`,
        })),
      );
    }
    destinationProvider = resolved.destinationProvider;
    executorPluginId = resolved.manifest.id;
  }
  const now = new Date().toISOString();
  const id = randomUUID();
  const status = STATUS_BY_MODE[mode];
  try {
    const row = await db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto("actions")
        .values({
          id,
          worker_id: input.workerId,
          kind: input.kind,
          destination_provider: destinationProvider,
          executor_plugin_id: executorPluginId,
          boundary_mode: mode,
          status,
          payload_json: JSON.stringify(input.payload),
          requested_by: input.requestedBy,
          request_key: input.requestKey ?? null,
          request_digest: digest,
          idempotency_key: `action-${id}`,
          review_decision: null,
          reviewed_by: null,
          review_reason: null,
          reviewed_at: null,
          attempt_count: 0,
          automatic_retries: 0,
          next_attempt_at: status === "queued" ? now : null,
          lease_owner: null,
          lease_expires_at: null,
          result_json: null,
          last_error_json: null,
          created_at: now,
          updated_at: now,
          retried_by: null,
          retry_reason: null,
          retried_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actor: input.requestedBy,
        action: mode === "never" ? "action.refuse" : "action.request",
        target: id,
        detail: {
          workerId: input.workerId,
          kind: input.kind,
          destinationProvider,
          boundaryMode: mode,
          status,
        },
      });
      return inserted;
    });
    return toAction(row);
  } catch (error) {
    // A concurrent request with the same key committed first: answer with its action.
    if (!isUniqueViolation(error)) throw error;
    const first = await earlierRequest(db, input, digest);
    if (first === undefined) throw error;
    return first;
  }
}
