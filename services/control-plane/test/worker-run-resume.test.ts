import { WorkerRunListResponseWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSmtpRelay, getAction, installFollowUpWorker } from "./governed-actions.js";
import { failInsertsInto } from "./injected-failure.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";
import {
  acknowledgement,
  POSTMARK,
  postmarkMessage,
  sendWebhook,
  storePostmarkToken,
} from "./webhook-fixtures.js";

const POSTMARK_TOKEN = "pm-token-resume-4kQ9-shared-secret";

async function poll<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("a worker run interrupted by a storage error", { timeout: 30_000 }, () => {
  let server: RunningControlPlane;

  beforeAll(async () => {
    server = await startControlPlane("worker-run-resume");
    // Only stored: the action waits for review, so nothing is sent to this address.
    await connectSmtpRelay(server, { host: "127.0.0.1", port: 2525 });
    await storePostmarkToken(server, POSTMARK_TOKEN);
    await installFollowUpWorker(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  const runsFor = async (eventId: string) => {
    const response = await server.request("GET", `/v1/worker-runs?event_id=${eventId}`);
    expect(response.status).toBe(200);
    return WorkerRunListResponseWireSchema.parse(await response.json()).runs;
  };
  const dispatchedAt = (eventId: string) =>
    withServerDatabase(server, async (db) => {
      const row = await db
        .selectFrom("ingress_events")
        .select("dispatched_at")
        .where("id", "=", eventId)
        .executeTakeFirstOrThrow();
      return row.dispatched_at;
    });
  const actionsFor = (eventId: string) =>
    withServerDatabase(server, (db) =>
      db
        .selectFrom("actions")
        .select("id")
        .where("request_key", "like", `route-event:${eventId}:%`)
        .execute(),
    );

  it("keeps the drafted run when its action cannot be stored, and after a restart requests the action once from the stored draft", async () => {
    const restore = await failInsertsInto(server, "actions");
    let eventId: string;
    let draftedItems: readonly string[];
    try {
      const response = await sendWebhook(server, POSTMARK, {
        body: postmarkMessage("pm-resume-1"),
        headers: { authorization: `Bearer ${POSTMARK_TOKEN}` },
      });
      expect(response.status).toBe(202);
      eventId = (await acknowledgement(response)).event_id;
      const [drafted] = await poll(async () => {
        const runs = await runsFor(eventId);
        return runs[0]?.status === "drafted" ? runs : undefined;
      }, "the drafted run");
      draftedItems = drafted?.work_item_ids ?? [];
      expect(draftedItems).toHaveLength(1);
      // The action insert fails right after the draft is stored; let that attempt end.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await runsFor(eventId))[0]?.status).toBe("drafted");
      expect(await actionsFor(eventId)).toEqual([]);
      expect(await dispatchedAt(eventId)).toBeNull();
    } finally {
      await restore();
    }

    await server.restart();
    const [run] = await poll(async () => {
      const runs = await runsFor(eventId);
      return runs[0]?.status === "done" ? runs : undefined;
    }, "the resumed run");
    // The same draft, not a second one: the model was not asked again.
    expect(run?.work_item_ids).toEqual(draftedItems);
    const items = await withServerDatabase(server, (db) =>
      db.selectFrom("work_items").select("id").where("source_event_id", "=", eventId).execute(),
    );
    expect(items.map((item) => item.id)).toEqual(draftedItems);
    const actions = await actionsFor(eventId);
    expect(actions).toHaveLength(1);
    expect(run?.action_ids).toEqual(actions.map((action) => action.id));
    expect((await getAction(server, actions[0]?.id ?? "")).status).toBe("pending");
    await poll(async () => ((await dispatchedAt(eventId)) === null ? undefined : true), "the mark");

    // Started again, nothing is left to resume: still one action.
    await server.restart();
    expect(await actionsFor(eventId)).toHaveLength(1);
  });
});
