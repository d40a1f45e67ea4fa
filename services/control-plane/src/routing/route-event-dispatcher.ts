import type { JsonValue } from "@plugboard/plugin-sdk";
import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { ActionGovernance } from "../actions/action-governance.js";
import type { EventEnvelope } from "../events/event-envelope.js";
import { ApiError } from "../http/problem-handler.js";
import { undispatchedIngressEvents } from "../ingress/ingress-event-store.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";
import { isUniqueViolation } from "../store/unique-violation.js";
import type { DraftModel } from "../worker-packs/draft-model.js";
import { getRuntimeWorkerPack, type WorkerPackDefinition } from "../worker-packs/index.js";
import type {
  RouteEventHandler,
  RouteEventHandling,
  RouteEventInput,
} from "../worker-packs/route-event-handler.js";
import { handleWithin } from "./handle-within.js";
import { insertWorkItems, linkWorkItemActions } from "./work-item-store.js";
import { findRun, insertDraftedRun, type RunKey, settleRun } from "./worker-run-store.js";

/** Undispatched events are read in batches of this many at start. */
const UNDISPATCHED_BATCH = 200;

/** What an event no worker takes needs to know of enabled packs. */
const NO_PACKS: ReadonlySet<string> = new Set();

/** The prefix of route event types: `route.forward_email`. */
const ROUTE_PREFIX = "route.";

/**
 * What the `routing` ring decided about an event before workers see it: go on (with the
 * data as the hooks left it), or stop with a reason that is recorded on each worker's run.
 */
export type RoutingDecision =
  | { readonly type: "continue"; readonly data: JsonValue }
  | {
      readonly type: "stop";
      /** `skipped` when a hook refused the event, `failed` when a fail-closed hook failed. */
      readonly status: "skipped" | "failed";
      readonly reason: string;
    };

/** An installed worker, as the dispatcher reads it with its input routes. */
interface RouteWorker {
  readonly id: string;
  readonly worker_pack_id: string;
}

/** A summary of one dispatched event, for the `background` ring and for tests. */
export interface DispatchSummary {
  readonly event: EventEnvelope;
  readonly runs: ReadonlyArray<RunKey & { readonly status: string }>;
}

export interface RouteEventDispatcherOptions {
  readonly db: Kysely<Schema>;
  readonly registry: RegistryCache;
  readonly governance: Pick<ActionGovernance, "createActionRequest">;
  readonly handlers: ReadonlyMap<string, RouteEventHandler>;
  readonly model: DraftModel;
  /**
   * How long a runtime pack, with its model call, may take on one event. Past it the pack's
   * signal is aborted and the run fails, so a model that never answers stalls nothing else.
   */
  readonly draftTimeoutMs: number;
  readonly log: Pick<FastifyBaseLogger, "warn" | "error">;
  /** Records that an event was given to its workers (the ingress writer batches these). */
  readonly markDispatched: (eventId: string) => void;
  /** The `routing` ring; every event continues unchanged when omitted. */
  readonly route?: (event: EventEnvelope) => Promise<RoutingDecision>;
  /** Told once per dispatched event, after every run settled; errors are logged. */
  readonly onDispatched?: (summary: DispatchSummary) => void;
}

export interface RouteEventDispatcher {
  /** Gives a route event to every worker whose input routes match; never rejects. */
  dispatch(event: EventEnvelope): Promise<void>;
  /** Dispatches the stored events no worker was given yet (at start), oldest first. */
  dispatchUndelivered(): Promise<number>;
}

function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const first = error.errors[0];
    return first === undefined
      ? error.message
      : `${error.message} (${first.path}: ${first.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Checks that a pack made only what its runtime pack declares. */
function undeclaredOutput(pack: WorkerPackDefinition, handling: RouteEventHandling): string[] {
  if (handling.type !== "output") return [];
  const kinds = new Set<string>(pack.outputKinds);
  const actions = new Set(pack.actionCapabilities.map((capability) => capability.kind));
  return [
    ...handling.workItems
      .filter((item) => !kinds.has(item.kind))
      .map((item) => `work item kind ${item.kind} is not one of the pack's output kinds`),
    ...handling.actionRequests
      .filter((request) => !actions.has(request.kind))
      .map((request) => `action kind ${request.kind} is not one of the pack's capabilities`),
    ...handling.actionRequests
      .filter(
        (request) =>
          request.workItem !== undefined && request.workItem >= handling.workItems.length,
      )
      .map(
        (request) => `an action request names work item ${request.workItem}, which does not exist`,
      ),
  ];
}

/**
 * Hands route events (`route.<kind>`) to the installed workers whose input routes match,
 * through each worker's runtime pack: the pack's output is stored as work items with the
 * action requests still to make (one transaction), then each request goes through
 * governance with a key derived from the event, then the run is marked done. Every step is
 * idempotent per worker and event, so an event delivered twice (the bus is at least once, and
 * undelivered events are dispatched again at start) is handled once.
 */
export function createRouteEventDispatcher(
  options: RouteEventDispatcherOptions,
): RouteEventDispatcher {
  const { db, log } = options;
  const inFlight = new Map<string, Promise<void>>();

  async function enabledPacks(): Promise<ReadonlySet<string>> {
    return options.registry.derived("enabled-worker-packs", (entries) => {
      const ids = new Set<string>();
      for (const entry of entries) {
        if (entry.kind === "worker_pack" && entry.installation.enabled) ids.add(entry.workerPackId);
      }
      return ids;
    });
  }

  /**
   * The workers whose input routes include `routeKind`, read once per route kind and registry
   * change rather than once per event. Installing a worker invalidates the registry once its
   * transaction committed, so an event published after an install reaches the new worker;
   * workers are never removed or rerouted in place. A worker installed through another
   * replica is seen here at this registry's next change, as that replica's plugin changes are.
   */
  async function workersFor(routeKind: string): Promise<readonly RouteWorker[]> {
    const byKind = await options.registry.derived(
      "route-workers",
      () => new Map<string, Promise<readonly RouteWorker[]>>(),
    );
    const known = byKind.get(routeKind);
    if (known !== undefined) return known;
    const read = db
      .selectFrom("workers as w")
      .innerJoin("worker_input_routes as r", "r.worker_id", "w.id")
      .select(["w.id", "w.worker_pack_id"])
      .where("r.kind", "=", routeKind)
      .distinct()
      .orderBy("w.id")
      .execute();
    byKind.set(routeKind, read);
    // A failed read is not kept: the next event reads again.
    read.catch(() => {
      if (byKind.get(routeKind) === read) byKind.delete(routeKind);
    });
    return read;
  }

  async function runWorker(
    worker: { readonly id: string; readonly packId: string },
    input: RouteEventInput,
    enabled: ReadonlySet<string>,
  ): Promise<string> {
    const key: RunKey = { workerId: worker.id, eventId: input.id, routeKind: input.routeKind };
    let run = await findRun(db, key);
    if (run !== undefined && run.status !== "drafted") return run.status;
    const pack = getRuntimeWorkerPack(worker.packId);
    const handler = options.handlers.get(worker.packId);
    if (run === undefined) {
      if (pack === undefined || !enabled.has(worker.packId)) {
        await settleRun(db, key, {
          status: "skipped",
          detail: `worker pack ${worker.packId} is disabled or not installed`,
        });
        return "skipped";
      }
      if (handler === undefined) {
        await settleRun(db, key, {
          status: "skipped",
          detail: `worker pack ${worker.packId} makes nothing of route events in this host`,
        });
        return "skipped";
      }
      let handling: RouteEventHandling;
      try {
        handling = await handleWithin(handler, input, options.model, options.draftTimeoutMs);
      } catch (error) {
        await settleRun(db, key, { status: "failed", detail: describeError(error) });
        return "failed";
      }
      if (handling.type === "skip") {
        await settleRun(db, key, { status: "skipped", detail: handling.reason });
        return "skipped";
      }
      const undeclared = undeclaredOutput(pack, handling);
      if (undeclared.length > 0) {
        await settleRun(db, key, { status: "failed", detail: undeclared.join("; ") });
        return "failed";
      }
      try {
        await db.transaction().execute(async (trx) => {
          const ids = await insertWorkItems(
            trx,
            { ...key, correlationId: input.correlationId },
            handling.workItems,
          );
          await insertDraftedRun(trx, key, ids, handling.actionRequests);
        });
      } catch (error) {
        // Another handler stored this event's output first: go on from what it stored.
        if (!isUniqueViolation(error)) throw error;
      }
      run = await findRun(db, key);
      if (run === undefined || run.status !== "drafted") return run?.status ?? "failed";
    }
    const actionIds: string[] = [];
    const byWorkItem = new Map<string, string[]>();
    for (const [index, plan] of run.plans.entries()) {
      try {
        const action = await options.governance.createActionRequest({
          workerId: worker.id,
          kind: plan.kind,
          destinationProvider: plan.destinationProvider,
          payload: plan.payload,
          requestedBy: "system",
          requestKey: `route-event:${input.id}:${index}`,
        });
        actionIds.push(action.id);
        const workItemId = plan.workItem === undefined ? undefined : run.workItemIds[plan.workItem];
        if (workItemId !== undefined) {
          byWorkItem.set(workItemId, [...(byWorkItem.get(workItemId) ?? []), action.id]);
        }
      } catch (error) {
        // A storage error is not the request's fault: the run stays `drafted`, and is resumed
        // from its stored output when the event is dispatched again.
        if (!(error instanceof ApiError)) throw error;
        await settleRun(db, key, {
          status: "failed",
          actionIds,
          detail: `action request ${index} (${plan.kind}): ${describeError(error)}`,
        });
        return "failed";
      }
    }
    for (const [workItemId, ids] of byWorkItem) await linkWorkItemActions(db, workItemId, ids);
    await settleRun(db, key, { status: "done", actionIds });
    return "done";
  }

  async function dispatchOnce(event: EventEnvelope): Promise<void> {
    if (!event.type.startsWith(ROUTE_PREFIX)) return;
    const routeKind = event.type.slice(ROUTE_PREFIX.length);
    const workers = await workersFor(routeKind);
    const decision: RoutingDecision =
      options.route === undefined || workers.length === 0
        ? { type: "continue", data: event.data }
        : await options.route(event);
    const runs: Array<RunKey & { status: string }> = [];
    const enabled = workers.length === 0 ? NO_PACKS : await enabledPacks();
    for (const worker of workers) {
      const key = { workerId: worker.id, eventId: event.id, routeKind };
      let status: string;
      try {
        if (decision.type === "stop") {
          const existing = await findRun(db, key);
          status = existing?.status ?? decision.status;
          if (existing === undefined)
            await settleRun(db, key, { status: "skipped", detail: decision.reason });
        } else {
          status = await runWorker(
            { id: worker.id, packId: worker.worker_pack_id },
            {
              id: event.id,
              routeKind,
              source: event.source,
              correlationId: event.correlationId,
              data: decision.data,
            },
            enabled,
          );
        }
      } catch (error) {
        log.error(
          { err: error, eventId: event.id, workerId: worker.id },
          "a worker run failed to record",
        );
        status = "error";
      }
      runs.push({ ...key, status });
    }
    // An event with a run that could not be recorded stays undispatched, so the next start
    // gives it to its workers again and the run goes on from what it stored.
    if (runs.every((run) => run.status !== "error")) options.markDispatched(event.id);
    try {
      options.onDispatched?.({ event, runs });
    } catch (error) {
      log.warn({ err: error, eventId: event.id }, "an onDispatched listener failed");
    }
  }

  function dispatch(event: EventEnvelope): Promise<void> {
    const running = inFlight.get(event.id);
    if (running !== undefined) return running;
    const work = dispatchOnce(event)
      .catch((error: unknown) => {
        log.error({ err: error, eventId: event.id }, "dispatching a route event failed");
      })
      .finally(() => inFlight.delete(event.id));
    inFlight.set(event.id, work);
    return work;
  }

  return {
    dispatch,
    async dispatchUndelivered() {
      let count = 0;
      let after = 0;
      for (;;) {
        const batch = await undispatchedIngressEvents(db, after, UNDISPATCHED_BATCH);
        for (const { seq, event } of batch) {
          after = seq;
          await dispatch(event);
          count++;
        }
        if (batch.length < UNDISPATCHED_BATCH) return count;
      }
    },
  };
}
