import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Kysely } from "kysely";
import { type CatalogEntry, loadCatalog } from "../plugins/plugin-catalog.js";
import type { SecretVault } from "../secrets/secret-vault.js";
import type { Schema } from "../store/schema.js";
import {
  type ClaimedAction,
  claimNextAction,
  nextDueAt,
  type RetryPolicy,
  recordOutcome,
  renewLease,
  surfaceExpiredClaims,
} from "./action-attempts.js";
import type { ExecutionOutcome } from "./action-executor-implementation.js";
import { type ExecutionStep, runExecutionPipeline } from "./execution-pipeline.js";
import { type ExecutorImplementations, loadConnectionSecrets } from "./executor-resolution.js";
import { keepLease, type LeaseKeeper } from "./lease-keeper.js";

export interface ActionExecutorSettings extends RetryPolicy {
  /**
   * How long a claim holds without renewal. While an attempt runs (its hooks included) the
   * executor renews the claim every third of it, and gives the send at most half of it, so a
   * lease runs out only when its executor stopped (or lost its database for a whole lease);
   * the action is then surfaced as needing attention.
   */
  readonly leaseMs: number;
  /** How often an idle executor looks for due actions and run-out leases. */
  readonly pollIntervalMs: number;
  /** Attempts this executor runs at once. */
  readonly concurrency: number;
}

/** The structured logger the executor reports to (pino's shape). */
export interface ExecutorLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface ActionExecutorOptions {
  readonly db: Kysely<Schema>;
  readonly vault: SecretVault;
  readonly implementations: ExecutorImplementations;
  /** Run around every execution, in order; see `ExecutionStep`. */
  readonly steps: readonly ExecutionStep[];
  readonly settings: ActionExecutorSettings;
  readonly log: ExecutorLog;
  /** Names this executor in claims and attempts; unique per process when omitted. */
  readonly owner?: string;
  /** Told after each outcome is recorded (the `background` ring); must not throw. */
  readonly onRecorded?: (attempt: RecordedAttempt) => void;
}

/** An attempt whose outcome was just recorded. */
export interface RecordedAttempt {
  readonly actionId: string;
  readonly workerId: string;
  readonly kind: string;
  readonly attempt: number;
  readonly outcome: ExecutionOutcome;
}

/** A running executor: `wake` makes it look for due actions now; `stop` lets attempts finish. */
export interface ActionExecutor {
  readonly owner: string;
  wake(): void;
  stop(): Promise<void>;
}

// Plugins change rarely and the catalog is read per attempt: a short-lived copy will do.
const CATALOG_TTL_MS = 1_000;

/**
 * Starts executor loops that claim due actions from the database, run them through the
 * pipeline and record each outcome. Safe to run in several processes on one database: each
 * action is claimed by exactly one of them, and an action whose claim runs out is surfaced,
 * never resent.
 */
export function startActionExecutor(options: ActionExecutorOptions): ActionExecutor {
  const { db, settings, log } = options;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  let stopping = false;
  const sleepers = new Set<() => void>();
  const wake = () => {
    for (const resume of sleepers) resume();
    sleepers.clear();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      }
      sleepers.add(done);
    });

  let catalog: { readonly at: number; readonly entries: Promise<CatalogEntry[]> } | undefined;
  const currentCatalog = () => {
    if (catalog === undefined || Date.now() - catalog.at > CATALOG_TTL_MS) {
      catalog = { at: Date.now(), entries: loadCatalog(db) };
      catalog.entries.catch(() => {
        catalog = undefined;
      });
    }
    return catalog.entries;
  };

  async function execute(claimed: ClaimedAction, lease: LeaseKeeper): Promise<ExecutionOutcome> {
    const { row } = claimed;
    const entries = await currentCatalog();
    const manifest = entries.find(
      (entry) =>
        entry.enabled &&
        entry.manifest.kind === "action_executor" &&
        entry.manifest.id === row.executor_plugin_id,
    )?.manifest;
    const implementation =
      row.executor_plugin_id === null
        ? undefined
        : options.implementations.get(row.executor_plugin_id);
    if (
      manifest?.kind !== "action_executor" ||
      implementation === undefined ||
      row.destination_provider === null ||
      row.executor_plugin_id === null
    ) {
      return {
        type: "permanent",
        error: {
          code: "executor_unavailable",
          message: `action executor ${row.executor_plugin_id ?? "(none)"} is not enabled on this host; nothing was sent`,
        },
      };
    }
    const connection = await loadConnectionSecrets(
      db,
      options.vault,
      entries,
      row.destination_provider,
      manifest.secretKeys,
    );
    if ("missing" in connection) {
      return {
        type: "permanent",
        error: {
          code: "connection_incomplete",
          message: `the ${row.destination_provider} connection has no ${connection.missing.join(", ")}; nothing was sent`,
        },
      };
    }
    const payload: unknown = JSON.parse(row.payload_json);
    const context = {
      actionId: row.id,
      workerId: row.worker_id,
      kind: row.kind,
      destinationProvider: row.destination_provider,
      executorPluginId: row.executor_plugin_id,
      payload,
      idempotencyKey: row.idempotency_key,
      attempt: claimed.attempt,
      requestedBy: row.requested_by,
      reviewedBy: row.reviewed_by,
    };
    return runExecutionPipeline(
      options.steps,
      context,
      async () => {
        // The claim was lost while the pre_flight steps ran: another executor may hold the
        // action now, so this one must not send.
        if (!lease.held()) {
          return {
            type: "retryable",
            error: {
              code: "claim_lost",
              message: "the claim on this action ran out before the send; nothing was sent",
            },
          };
        }
        try {
          return await implementation.execute({
            actionId: row.id,
            payload,
            secrets: connection.secrets,
            idempotencyKey: row.idempotency_key,
            attempt: claimed.attempt,
            timeoutMs: Math.floor(settings.leaseMs / 2),
          });
        } catch (error) {
          // The executor broke its promise not to throw: whether it sent is unknown.
          log.error({ err: error, actionId: row.id }, "action executor threw");
          return { type: "unknown", error: { code: "executor_error", message: String(error) } };
        }
      },
      (step, error) => log.error({ err: error, actionId: row.id, step }, "execution step failed"),
    );
  }

  // Ids some loop of this executor is claiming right now: the other loops skip them.
  const contended = new Set<string>();
  let nextSweep = 0;

  async function runSlot(): Promise<void> {
    while (!stopping) {
      try {
        if (Date.now() >= nextSweep) {
          nextSweep = Date.now() + settings.pollIntervalMs;
          const surfaced = await surfaceExpiredClaims(db);
          if (surfaced > 0) log.warn({ surfaced }, "actions whose claim ran out need attention");
        }
        const claimed = await claimNextAction(db, owner, settings.leaseMs, contended);
        if (claimed !== undefined) {
          const lease = keepLease(
            claimed.leaseExpiresAt,
            settings.leaseMs,
            () => renewLease(db, claimed, owner, settings.leaseMs),
            (error) => log.warn({ err: error, actionId: claimed.row.id }, "lease renewal failed"),
          );
          let outcome: ExecutionOutcome;
          try {
            outcome = await execute(claimed, lease);
            await recordOutcome(db, claimed, outcome, settings);
          } finally {
            lease.stop();
          }
          options.onRecorded?.({
            actionId: claimed.row.id,
            workerId: claimed.row.worker_id,
            kind: claimed.row.kind,
            attempt: claimed.attempt,
            outcome,
          });
          log.info(
            { actionId: claimed.row.id, attempt: claimed.attempt, outcome: outcome.type },
            "action attempt finished",
          );
          continue;
        }
        const due = await nextDueAt(db);
        const untilDue =
          due === undefined ? Number.POSITIVE_INFINITY : Date.parse(due) - Date.now();
        // A due action that another executor won leaves `untilDue` at 0: look again shortly.
        await sleep(Math.max(5, Math.min(settings.pollIntervalMs, untilDue)));
      } catch (error) {
        if (stopping) return;
        log.error({ err: error }, "action executor loop failed; trying again");
        await sleep(settings.pollIntervalMs);
      }
    }
  }

  const slots = Array.from({ length: settings.concurrency }, () => runSlot());
  return {
    owner,
    wake,
    async stop() {
      stopping = true;
      wake();
      await Promise.all(slots);
    },
  };
}
