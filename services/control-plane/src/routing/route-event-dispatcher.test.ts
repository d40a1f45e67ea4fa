import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ActionGovernance, createActionGovernance } from "../actions/action-governance.js";
import { executorImplementations } from "../actions/executor-resolution.js";
import { FIRST_PARTY_ACTION_EXECUTORS } from "../actions/first-party-executors.js";
import type { EventEnvelope } from "../events/event-envelope.js";
import { newEventId } from "../events/event-id.js";
import { createIngressEventWriter } from "../ingress/ingress-event-writer.js";
import { registerFirstPartyPlugins } from "../plugins/plugin-catalog.js";
import { createRegistryCache } from "../registry/registry-cache.js";
import { FIRST_PARTY_SETUP_EVALUATORS } from "../setup/first-party-setup-evaluators.js";
import { createSetupEvaluatorRegistry } from "../setup/setup-evaluators.js";
import { type Database, migrateToLatest, openDatabase } from "../store/database.js";
import type { RouteEventHandler } from "../worker-packs/route-event-handler.js";
import { createTemplateDraftModel } from "../worker-packs/template-draft-model.js";
import {
  createRouteEventDispatcher,
  type DispatchSummary,
  type RoutingDecision,
} from "./route-event-dispatcher.js";
import { listWorkItems } from "./work-item-store.js";
import { listWorkerRuns } from "./worker-run-store.js";

const WORKER = "worker-1";
const PACK = "follow_up_v1";
const quiet = { warn: () => {}, error: () => {} };

function routeEvent(data: EventEnvelope["data"] = { note: "hello" }): EventEnvelope {
  const id = newEventId();
  return {
    id,
    type: "route.forward_email",
    version: 1,
    time: new Date().toISOString(),
    source: "ingress.postmark.forward-email",
    correlationId: id,
    data,
  };
}

const draftEmail: RouteEventHandler = async (event) => ({
  type: "output",
  workItems: [{ kind: "email_draft", title: "Draft", body: { from: event.id } }],
  actionRequests: [
    {
      kind: "send_email",
      payload: { to: ["bo@client.example"], subject: "Hi", text: "Hello" },
      workItem: 0,
    },
  ],
});

describe("route event dispatcher", () => {
  let dataDir: string;
  let database: Database;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "plugboard-dispatcher-"));
    database = openDatabase({ dataDir, databaseUrl: undefined });
    await migrateToLatest(database);
    await registerFirstPartyPlugins(database.db);
    const now = new Date().toISOString();
    await database.db
      .insertInto("workers")
      .values({
        id: WORKER,
        worker_pack_id: PACK,
        name: "w",
        scope: "shared",
        created_at: now,
        created_by: "t",
      })
      .execute();
    await database.db
      .insertInto("worker_input_routes")
      .values({ id: "r-1", worker_id: WORKER, kind: "forward_email", label: "Forwarded email" })
      .execute();
    await database.db
      .insertInto("worker_action_capabilities")
      .values({ worker_id: WORKER, kind: "send_email", boundary_mode: "ask_me" })
      .execute();
  });
  afterEach(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const governance = () =>
    createActionGovernance({
      db: database.db,
      implementations: executorImplementations(FIRST_PARTY_ACTION_EXECUTORS),
      onQueued: () => {},
    });

  function dispatcherWith(
    handler: RouteEventHandler,
    options: {
      route?: (event: EventEnvelope) => Promise<RoutingDecision>;
      governance?: Pick<ActionGovernance, "createActionRequest">;
    } = {},
  ) {
    const registry = createRegistryCache(
      database.db,
      createSetupEvaluatorRegistry(FIRST_PARTY_SETUP_EVALUATORS),
    );
    const writer = createIngressEventWriter(database.db, quiet);
    const summaries: DispatchSummary[] = [];
    const dispatcher = createRouteEventDispatcher({
      db: database.db,
      registry,
      governance: governance(),
      handlers: new Map([[PACK, handler]]),
      model: createTemplateDraftModel(),
      draftTimeoutMs: 5_000,
      log: quiet,
      markDispatched: (id) => writer.markDispatched(id),
      onDispatched: (summary) => summaries.push(summary),
      ...options,
    });
    return { dispatcher, summaries, registry, writer };
  }
  const runs = async () => (await listWorkerRuns(database.db, { limit: 50 })).runs;
  const items = async () => (await listWorkItems(database.db, { limit: 50 })).workItems;

  it("stores the pack's work items and requests its actions, linked both ways", async () => {
    const { dispatcher, summaries } = dispatcherWith(draftEmail);
    const event = routeEvent();
    await dispatcher.dispatch(event);
    const [run] = await runs();
    const [item] = await items();
    expect(run).toMatchObject({ status: "done", eventId: event.id, workItemIds: [item?.id] });
    expect(item?.actionIds).toEqual(run?.actionIds);
    const action = await database.db.selectFrom("actions").selectAll().executeTakeFirstOrThrow();
    expect(action).toMatchObject({
      status: "pending",
      requested_by: "system",
      request_key: `route-event:${event.id}:0`,
    });
    expect(summaries.map((summary) => summary.runs)).toEqual([
      [{ workerId: WORKER, eventId: event.id, routeKind: "forward_email", status: "done" }],
    ]);
  });

  it("handles an event delivered twice, or twice at once, once", async () => {
    let calls = 0;
    const { dispatcher } = dispatcherWith(async (event, tools) => {
      calls++;
      return draftEmail(event, tools);
    });
    const event = routeEvent();
    await Promise.all([dispatcher.dispatch(event), dispatcher.dispatch(event)]);
    await dispatcher.dispatch(event);
    expect(calls).toBe(1);
    expect(await items()).toHaveLength(1);
    expect(await database.db.selectFrom("actions").select("id").execute()).toHaveLength(1);
  });

  it("records a failed run with the pack's error and keeps handling later events", async () => {
    const { dispatcher } = dispatcherWith(async () => {
      throw new Error("the draft could not be written");
    });
    await dispatcher.dispatch(routeEvent());
    expect(await runs()).toMatchObject([
      { status: "failed", detail: "the draft could not be written" },
    ]);
    expect(await items()).toEqual([]);
  });

  it("refuses output the runtime pack does not declare", async () => {
    const { dispatcher } = dispatcherWith(async () => ({
      type: "output",
      workItems: [{ kind: "proposal_draft", title: "x", body: null }],
      actionRequests: [{ kind: "delete_everything", payload: {} }],
    }));
    await dispatcher.dispatch(routeEvent());
    const [run] = await runs();
    expect(run?.status).toBe("failed");
    expect(run?.detail).toContain(
      "work item kind proposal_draft is not one of the pack's output kinds",
    );
    expect(run?.detail).toContain(
      "action kind delete_everything is not one of the pack's capabilities",
    );
    expect(await items()).toEqual([]);
  });

  it("keeps the drafts and names the field when governance refuses an action request", async () => {
    const { dispatcher } = dispatcherWith(async () => ({
      type: "output",
      workItems: [{ kind: "email_draft", title: "x", body: null }],
      actionRequests: [
        {
          kind: "send_email",
          payload: { to: ["not an address"], subject: "s", text: "t" },
          workItem: 0,
        },
      ],
    }));
    await dispatcher.dispatch(routeEvent());
    const [run] = await runs();
    expect(run?.status).toBe("failed");
    expect(run?.detail).toMatch(/^action request 0 \(send_email\): .*payload\.to\[0\]/);
    expect(await items()).toHaveLength(1);
  });

  it("skips workers whose pack is disabled, and events the routing ring stops", async () => {
    await database.db
      .updateTable("plugins")
      .set({ enabled: 0 })
      .where("id", "=", "worker-pack.follow-up")
      .execute();
    const disabled = dispatcherWith(draftEmail);
    await disabled.dispatcher.dispatch(routeEvent());
    expect((await runs())[0]).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining("disabled"),
    });

    await database.db
      .updateTable("plugins")
      .set({ enabled: 1 })
      .where("id", "=", "worker-pack.follow-up")
      .execute();
    const stopped = dispatcherWith(draftEmail, {
      route: async () => ({
        type: "stop",
        status: "skipped",
        reason: "hook.spam-filter blocked the event (403)",
      }),
    });
    await stopped.dispatcher.dispatch(routeEvent());
    expect((await runs())[0]).toMatchObject({
      status: "skipped",
      detail: "hook.spam-filter blocked the event (403)",
    });
    expect(await items()).toEqual([]);
  });

  it("gives the pack the data as the routing ring left it", async () => {
    const seen: unknown[] = [];
    const { dispatcher } = dispatcherWith(
      async (event) => {
        seen.push(event.data);
        return { type: "skip", reason: "nothing to do" };
      },
      { route: async () => ({ type: "continue", data: { note: "rewritten" } }) },
    );
    await dispatcher.dispatch(routeEvent());
    expect(seen).toEqual([{ note: "rewritten" }]);
    expect((await runs())[0]).toMatchObject({ status: "skipped", detail: "nothing to do" });
  });

  it("gives later events to a worker installed after earlier events were dispatched", async () => {
    const { dispatcher, summaries, registry } = dispatcherWith(async () => ({
      type: "skip",
      reason: "nothing to do",
    }));
    await dispatcher.dispatch(routeEvent());
    // As a worker install does: the rows, then the registry invalidated once they committed.
    await database.db
      .insertInto("workers")
      .values({
        id: "worker-2",
        worker_pack_id: PACK,
        name: "w2",
        scope: "shared",
        created_at: new Date().toISOString(),
        created_by: "t",
      })
      .execute();
    await database.db
      .insertInto("worker_input_routes")
      .values({ id: "r-2", worker_id: "worker-2", kind: "forward_email", label: "Forwarded" })
      .execute();
    registry.invalidate();
    await dispatcher.dispatch(routeEvent());
    expect(summaries.map((summary) => summary.runs.map((run) => run.workerId))).toEqual([
      [WORKER],
      [WORKER, "worker-2"],
    ]);
  });

  it("ignores events that are not route events and marks dispatched events with the writer", async () => {
    const { dispatcher, writer, summaries } = dispatcherWith(draftEmail);
    await dispatcher.dispatch({ ...routeEvent(), type: "plugin.lifecycle" });
    expect(summaries).toEqual([]);
    const event = routeEvent();
    await writer.record(event, "provider-1");
    writer.markPublished(event.id);
    await writer.drain();
    expect(await dispatcher.dispatchUndelivered()).toBe(1);
    await writer.drain();
    const row = await database.db
      .selectFrom("ingress_events")
      .select("dispatched_at")
      .executeTakeFirstOrThrow();
    expect(row.dispatched_at).not.toBeNull();
    expect(await dispatcher.dispatchUndelivered()).toBe(0);
  });
  it("leaves an event undispatched when its run cannot be recorded, and goes on from the stored drafts when it is dispatched again", async () => {
    let calls = 0;
    const counted: RouteEventHandler = async (event, tools) => {
      calls++;
      return draftEmail(event, tools);
    };
    const real = governance();
    const broken = dispatcherWith(counted, {
      governance: {
        createActionRequest: async () => {
          throw new Error("the database is unavailable");
        },
      },
    });
    const event = routeEvent();
    await broken.writer.record(event, "provider-resume");
    broken.writer.markPublished(event.id);
    await broken.dispatcher.dispatch(event);
    await broken.writer.drain();
    expect(broken.summaries.map((summary) => summary.runs[0]?.status)).toEqual(["error"]);
    expect(await runs()).toMatchObject([{ status: "drafted" }]);
    const stored = () =>
      database.db
        .selectFrom("ingress_events")
        .select("dispatched_at")
        .where("id", "=", event.id)
        .executeTakeFirstOrThrow();
    expect((await stored()).dispatched_at).toBeNull();

    const restarted = dispatcherWith(counted, { governance: real });
    expect(await restarted.dispatcher.dispatchUndelivered()).toBe(1);
    await restarted.writer.drain();
    expect(calls).toBe(1);
    const [run] = await runs();
    expect(run).toMatchObject({ status: "done" });
    expect(run?.actionIds).toHaveLength(1);
    expect((await items())[0]?.actionIds).toEqual(run?.actionIds);
    expect((await stored()).dispatched_at).not.toBeNull();
  });
});
