import {
  ActionListResponseWireSchema,
  WorkerRunListResponseWireSchema,
  WorkItemListResponseWireSchema,
  WorkItemWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  connectSmtpRelay,
  FROM_ADDRESS,
  getAction,
  installFollowUpWorker,
  QUICK_EXECUTOR,
  waitForStatus,
} from "./governed-actions.js";
import { type LocalSmtpServer, startLocalSmtpServer } from "./local-smtp-server.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";
import { acknowledgement, POSTMARK, sendWebhook, storePostmarkToken } from "./webhook-fixtures.js";

const POSTMARK_TOKEN = "pm-token-scenario-7Hd2-shared-secret";
/** How long to wait for a second delivery that must not come. */
const SETTLE_MS = 750;

/** A Postmark inbound message: Ana forwards Bo's email to the follow-up worker. */
function forwardedThread(messageId: string) {
  return JSON.stringify({
    MessageID: messageId,
    FromFull: { Email: "ana@acme.example", Name: "Ana Lima", MailboxHash: "" },
    ToFull: [{ Email: "followups@inbound.acme.example", Name: "", MailboxHash: "" }],
    CcFull: [],
    Subject: "Fwd: Q3 proposal timeline",
    Date: "Tue, 4 Mar 2025 09:12:00 +0000",
    TextBody: [
      "Could you follow up with Bo next week?",
      "",
      "---------- Forwarded message ---------",
      "From: Bo Client <bo@client.example>",
      "Date: Mon, 3 Mar 2025 at 17:40",
      "Subject: Q3 proposal timeline",
      "To: Ana Lima <ana@acme.example>",
      "",
      "We need the proposal before the board meets on the 20th. Can you make that?",
      "Thanks, Bo",
    ].join("\n"),
    HtmlBody: "",
    StrippedTextReply: "Could you follow up with Bo next week?",
    Attachments: [],
  });
}

async function poll<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("a forwarded email becomes one reviewed follow-up", { timeout: 30_000 }, () => {
  let smtp: LocalSmtpServer;
  let server: RunningControlPlane;
  let workerId: string;

  beforeAll(async () => {
    smtp = await startLocalSmtpServer();
    server = await startControlPlane("forwarded-email-scenario", QUICK_EXECUTOR);
    await connectSmtpRelay(server, smtp);
    await storePostmarkToken(server, POSTMARK_TOKEN);
    workerId = await installFollowUpWorker(server);
  });
  afterAll(async () => {
    await server.stop();
    await smtp.close();
  });

  const deliver = (messageId: string) =>
    sendWebhook(server, POSTMARK, {
      body: forwardedThread(messageId),
      headers: { authorization: `Bearer ${POSTMARK_TOKEN}` },
    });
  const workItemsFor = async (eventId: string) => {
    const response = await server.request("GET", `/v1/work-items?source_event_id=${eventId}`);
    expect(response.status).toBe(200);
    return WorkItemListResponseWireSchema.parse(await response.json()).work_items;
  };
  const runsFor = async (eventId: string) => {
    const response = await server.request("GET", `/v1/worker-runs?event_id=${eventId}`);
    expect(response.status).toBe(200);
    return WorkerRunListResponseWireSchema.parse(await response.json()).runs;
  };

  it("drafts an email to the forwarded message's author, holds it for review, and sends it once when approved", async () => {
    const received = await deliver("pm-scenario-1");
    expect(received.status).toBe(202);
    const { event_id: eventId } = await acknowledgement(received);

    const [run] = await poll(async () => {
      const runs = await runsFor(eventId);
      return runs.some((candidate) => candidate.status === "done") ? runs : undefined;
    }, "the worker run");
    expect(run).toMatchObject({ worker_id: workerId, route_kind: "forward_email", status: "done" });
    const [draft] = await workItemsFor(eventId);
    expect(draft).toMatchObject({
      kind: "email_draft",
      worker_id: workerId,
      route_kind: "forward_email",
      correlation_id: eventId,
      body: { to: ["bo@client.example"], subject: "Re: Q3 proposal timeline" },
    });
    const { text } = z.object({ text: z.string() }).parse(draft?.body);
    expect(text).toMatch(/^Hi Bo,/);
    expect(text).toContain("We need the proposal before the board meets on the 20th.");
    expect(text).toContain("Ana Lima");
    expect(draft?.action_ids).toHaveLength(1);
    const actionId = draft?.action_ids[0] ?? "";

    const pending = await server.request("GET", "/v1/actions?status=pending");
    const queue = ActionListResponseWireSchema.parse(await pending.json()).actions;
    expect(queue.map((action) => action.id)).toContain(actionId);
    const held = queue.find((action) => action.id === actionId);
    expect(held).toMatchObject({
      kind: "send_email",
      worker_id: workerId,
      requested_by: "system",
      destination_provider: "smtp_relay",
      payload: { to: ["bo@client.example"], subject: "Re: Q3 proposal timeline", text },
    });
    expect(smtp.received).toHaveLength(0);

    const approved = await server.request("POST", `/v1/actions/${actionId}/approve`, {
      body: { reason: "reads well" },
    });
    expect(approved.status).toBe(200);
    const done = await waitForStatus(server, actionId, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    const [message] = await smtp.waitForMessages(1);
    // A second delivery would come after the first: the executor polls every 50 ms, so give
    // it many polls to make one before counting.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    expect(smtp.received).toHaveLength(1);
    const settled = await getAction(server, actionId);
    expect(settled.status).toBe("succeeded");
    expect(settled.attempt_count).toBe(1);
    expect(settled.attempts.map((attempt) => attempt.status)).toEqual(["succeeded"]);
    expect(message?.recipients).toEqual(["bo@client.example"]);
    expect(message?.from).toBe(FROM_ADDRESS);
    expect(message?.mail.subject).toBe("Re: Q3 proposal timeline");
    expect(message?.mail.text?.trim()).toBe(text.trim());

    const single = await server.request("GET", `/v1/work-items/${draft?.id}`);
    expect(WorkItemWireSchema.parse(await single.json()).id).toBe(draft?.id);
  });

  it("makes one draft and one action of an email delivered five times", async () => {
    const acknowledgements = [];
    for (let delivery = 0; delivery < 5; delivery++) {
      const response = await deliver("pm-scenario-repeated");
      expect([200, 202]).toContain(response.status);
      acknowledgements.push(await acknowledgement(response));
    }
    const eventIds = new Set(acknowledgements.map((ack) => ack.event_id));
    expect(eventIds.size).toBe(1);
    const [eventId = ""] = eventIds;
    await poll(
      async () => ((await runsFor(eventId))[0]?.status === "done" ? true : undefined),
      "the run",
    );
    expect(await workItemsFor(eventId)).toHaveLength(1);
    const actions = await withServerDatabase(server, (db) =>
      db
        .selectFrom("actions")
        .select("id")
        .where("request_key", "like", `route-event:${eventId}:%`)
        .execute(),
    );
    expect(actions).toHaveLength(1);
  });

  it("gives workers, after a restart, an event the bus accepted but no worker was given", async () => {
    const response = await deliver("pm-scenario-restart");
    const { event_id: eventId } = await acknowledgement(response);
    await poll(
      async () => ((await runsFor(eventId))[0]?.status === "done" ? true : undefined),
      "the run",
    );
    // As if the process had stopped after publishing and before the worker ran.
    await withServerDatabase(server, async (db) => {
      await db.deleteFrom("worker_runs").where("event_id", "=", eventId).execute();
      await db.deleteFrom("work_items").where("source_event_id", "=", eventId).execute();
      await db
        .updateTable("ingress_events")
        .set({ dispatched_at: null })
        .where("id", "=", eventId)
        .execute();
    });
    await server.restart();
    await poll(
      async () => ((await runsFor(eventId))[0]?.status === "done" ? true : undefined),
      "the run",
    );
    const items = await workItemsFor(eventId);
    expect(items).toHaveLength(1);
    // The action was requested under the same key before the restart: it is the same one.
    const actions = await withServerDatabase(server, (db) =>
      db
        .selectFrom("actions")
        .select("id")
        .where("request_key", "like", `route-event:${eventId}:%`)
        .execute(),
    );
    expect(actions.map((action) => action.id)).toEqual(items[0]?.action_ids);
  });

  it("answers 400 naming the cursor for a forged page cursor, and 404 for an unknown work item", async () => {
    const forged = await server.request("GET", "/v1/work-items?cursor=Zm9yZ2Vk");
    expect(forged.status).toBe(400);
    expect(JSON.stringify(await forged.json())).toContain("cursor");
    const unknown = await server.request(
      "GET",
      "/v1/work-items/00000000-0000-4000-8000-000000000000",
    );
    expect(unknown.status).toBe(404);
    const malformed = await server.request("GET", "/v1/work-items/not-a-uuid");
    expect(malformed.status).toBe(400);
  });
});
