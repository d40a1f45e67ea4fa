import { EventListResponseWireSchema, ProblemDetailsWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";
import {
  acknowledgement,
  GMAIL,
  gmailPush,
  POSTMARK,
  postmarkMessage,
  type RecordingBus,
  recordingBus,
  sendWebhook,
  storePostmarkToken,
} from "./webhook-fixtures.js";

// Distinctive, so that finding one in the server log can only be a leak.
const POSTMARK_TOKEN = "pm-token-4Fq9-webhook-shared-secret";
const GMAIL_TOKEN = "gm-token-8Zr2-watch-notification-secret";
const BODY_LIMIT = 65_536;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (user: string, token: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${token}`).toString("base64")}`,
});

describe("webhooks authenticated with a shared token", () => {
  let server: RunningControlPlane;
  let recorded: RecordingBus;
  beforeAll(async () => {
    recorded = await recordingBus();
    server = await startControlPlane(
      "webhooks-shared-token",
      { PLUGBOARD_WEBHOOK_BODY_LIMIT: String(BODY_LIMIT) },
      { eventBus: recorded.bus },
    );
    // Set through the secrets API, so the log check looks for both tokens.
    await storePostmarkToken(server, POSTMARK_TOKEN);
  });
  afterAll(async () => {
    await server.stop();
    await recorded.bus.close();
  });

  const postmark = (messageId: string, headers: Record<string, string> = bearer(POSTMARK_TOKEN)) =>
    sendWebhook(server, POSTMARK, { body: postmarkMessage(messageId), headers });
  const storedEvents = (pluginId: string) =>
    withServerDatabase(server, (db) =>
      db
        .selectFrom("ingress_events")
        .select(["id", "provider_event_id", "status"])
        .where("plugin_id", "=", pluginId)
        .orderBy("seq")
        .execute(),
    );
  const storedIds = async (pluginId: string) =>
    (await storedEvents(pluginId)).map((row) => row.provider_event_id);
  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());

  it("accepts a Postmark message with the token as a Bearer header, stores it and publishes a forward_email event", async () => {
    const response = await postmark("pm-msg-accepted");
    expect(response.status).toBe(202);
    const { event_id: eventId, duplicate } = await acknowledgement(response);
    expect(duplicate).toBe(false);

    const event = await recorded.delivered(eventId);
    expect(event).toMatchObject({
      id: eventId,
      type: "route.forward_email",
      version: 1,
      source: POSTMARK,
      correlationId: eventId,
      data: {
        messageId: "pm-msg-accepted",
        from: { email: "ana@example.com", name: "Ana Lima" },
        subject: "Fwd: the Q3 proposal",
        textBody: "Could you follow up with them next week?",
      },
    });
    expect(Date.parse(event.time)).not.toBeNaN();

    const listed = await server.request("GET", `/v1/events?plugin=${POSTMARK}`);
    expect(listed.status).toBe(200);
    const { events } = EventListResponseWireSchema.parse(await listed.json());
    expect(events[0]).toMatchObject({
      id: eventId,
      type: "route.forward_email",
      source: POSTMARK,
      provider_event_id: "pm-msg-accepted",
      status: "published",
      correlation_id: eventId,
    });
    expect(events[0]?.published_at).toEqual(expect.any(String));
  });

  it("accepts the token as the password of Basic credentials", async () => {
    const response = await postmark("pm-msg-basic", basic("postmark", POSTMARK_TOKEN));
    expect(response.status).toBe(202);
    expect(await storedIds(POSTMARK)).toContain("pm-msg-basic");
  });

  it("refuses a wrong or missing token with 401 naming the reason, and stores nothing", async () => {
    const wrong = await postmark("pm-msg-wrong-token", bearer(`${POSTMARK_TOKEN}x`));
    expect(wrong.status).toBe(401);
    const wrongProblem = await problem(wrong);
    expect(wrongProblem.code).toBe("PLUGBOARD_WEBHOOK_TOKEN_INVALID");
    expect(wrongProblem.errors).toEqual([
      expect.objectContaining({ path: "headers.authorization", code: "token_mismatch" }),
    ]);
    const missing = await postmark("pm-msg-no-token", {});
    expect(missing.status).toBe(401);
    expect((await problem(missing)).errors[0]?.code).toBe("token_missing");
    const stored = await storedIds(POSTMARK);
    expect(stored).not.toContain("pm-msg-wrong-token");
    expect(stored).not.toContain("pm-msg-no-token");
  });

  it("refuses a token in the query string with 400, even alongside a valid header, and never logs it", async () => {
    for (const headers of [{}, bearer(POSTMARK_TOKEN)]) {
      const response = await sendWebhook(server, POSTMARK, {
        body: postmarkMessage("pm-msg-query-token"),
        headers,
        query: `?token=${POSTMARK_TOKEN}`,
      });
      expect(response.status).toBe(400);
      const body = await problem(response);
      expect(body.code).toBe("PLUGBOARD_WEBHOOK_QUERY_REFUSED");
      expect(JSON.stringify(body)).not.toContain(POSTMARK_TOKEN);
    }
    // A token sent to a URL no route serves is kept out of the log too.
    const stray = await server.request("POST", `/webhooks?access_token=${POSTMARK_TOKEN}`, {
      token: null,
      body: "{}",
    });
    expect(stray.status).toBe(404);
    expect(await storedIds(POSTMARK)).not.toContain("pm-msg-query-token");
    // The server log is searched for POSTMARK_TOKEN when the server stops.
  });

  it("stores and publishes an event delivered five times in a row once, answering each redelivery with its id", async () => {
    const answers: Array<{ status: number; eventId: string; duplicate: boolean }> = [];
    for (let delivery = 0; delivery < 5; delivery++) {
      const response = await postmark("pm-msg-redelivered");
      const { event_id: eventId, duplicate } = await acknowledgement(response);
      answers.push({ status: response.status, eventId, duplicate });
    }
    const first = answers[0]?.eventId ?? "";
    expect(answers).toEqual([
      { status: 202, eventId: first, duplicate: false },
      ...Array.from({ length: 4 }, () => ({ status: 200, eventId: first, duplicate: true })),
    ]);
    // Deliveries reach a subscriber in publish order: once the next event has arrived, any
    // second publication of the first would have arrived before it.
    const next = await acknowledgement(await postmark("pm-msg-after-redeliveries"));
    await recorded.delivered(next.event_id);
    expect(recorded.count(first)).toBe(1);
    expect((await storedIds(POSTMARK)).filter((id) => id === "pm-msg-redelivered")).toHaveLength(1);
  });

  it("stores and publishes an event delivered five times at once only once", async () => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => postmark("pm-msg-concurrent")),
    );
    const answers = await Promise.all(
      responses.map(async (response) => ({
        status: response.status,
        ...(await acknowledgement(response)),
      })),
    );
    const fresh = answers.filter((answer) => !answer.duplicate);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.status).toBe(202);
    const eventId = fresh[0]?.event_id ?? "";
    expect(answers.filter((answer) => answer.duplicate).map((answer) => answer.status)).toEqual([
      200, 200, 200, 200,
    ]);
    expect(new Set(answers.map((answer) => answer.event_id))).toEqual(new Set([eventId]));
    const next = await acknowledgement(await postmark("pm-msg-after-concurrent"));
    await recorded.delivered(next.event_id);
    expect(recorded.count(eventId)).toBe(1);
    expect((await storedIds(POSTMARK)).filter((id) => id === "pm-msg-concurrent")).toHaveLength(1);
  });

  it("keys a Postmark delivery on its MessageID, whatever webhook-id header comes with it", async () => {
    const answers = [];
    for (const headers of [
      { "webhook-id": "msg_first" },
      { "webhook-id": "msg_renamed_by_a_replay" },
      {},
    ]) {
      const response = await postmark("pm-msg-header-ids", {
        ...bearer(POSTMARK_TOKEN),
        ...headers,
      });
      answers.push({ status: response.status, ...(await acknowledgement(response)) });
    }
    expect(answers.map((answer) => [answer.status, answer.duplicate])).toEqual([
      [202, false],
      [200, true],
      [200, true],
    ]);
    expect(new Set(answers.map((answer) => answer.event_id)).size).toBe(1);
    const ids = await storedIds(POSTMARK);
    expect(ids.filter((id) => id === "pm-msg-header-ids")).toHaveLength(1);
    expect(ids).not.toContain("msg_first");
    expect(ids).not.toContain("msg_renamed_by_a_replay");
  });

  it("processes a replayed delivery once, whether it carries a fresh, an hour-old or no webhook-timestamp", async () => {
    const now = Math.floor(Date.now() / 1000);
    const answers = [];
    for (const headers of [
      { "webhook-timestamp": String(now) },
      { "webhook-timestamp": String(now - 3_600) },
      {},
    ]) {
      const response = await postmark("pm-msg-replayed", { ...bearer(POSTMARK_TOKEN), ...headers });
      answers.push({ status: response.status, ...(await acknowledgement(response)) });
    }
    expect(answers.map((answer) => answer.status)).toEqual([202, 200, 200]);
    const first = answers[0]?.event_id ?? "";
    expect(answers.every((answer) => answer.event_id === first)).toBe(true);
    const next = await acknowledgement(await postmark("pm-msg-after-replays"));
    await recorded.delivered(next.event_id);
    expect(recorded.count(first)).toBe(1);
    expect((await storedIds(POSTMARK)).filter((id) => id === "pm-msg-replayed")).toHaveLength(1);
  });

  it("refuses a body over the limit with 413 and stores nothing", async () => {
    const padding = "x".repeat(BODY_LIMIT);
    const response = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage("pm-msg-oversized", padding),
      headers: bearer(POSTMARK_TOKEN),
    });
    expect(response.status).toBe(413);
    expect((await problem(response)).code).toBe("PLUGBOARD_PAYLOAD_TOO_LARGE");
    expect(await storedIds(POSTMARK)).not.toContain("pm-msg-oversized");
  });

  it("refuses a malformed Postmark message with 422 naming the field, and stores nothing", async () => {
    const response = await sendWebhook(server, POSTMARK, {
      body: JSON.stringify({ MessageID: "pm-msg-malformed", FromFull: { Name: "Ana" } }),
      headers: bearer(POSTMARK_TOKEN),
    });
    expect(response.status).toBe(422);
    const body = await problem(response);
    expect(body.code).toBe("PLUGBOARD_VALIDATION_FAILED");
    expect(body.errors.map((error) => error.path)).toEqual(["FromFull.Email"]);
    expect(await storedIds(POSTMARK)).not.toContain("pm-msg-malformed");
  });

  it("answers 404 for an unknown plugin and for a plugin that is not an ingress adapter", async () => {
    for (const id of ["ingress.nobody.here", "provider.postmark", "not a plugin id"]) {
      const response = await sendWebhook(server, encodeURIComponent(id), {
        body: postmarkMessage("pm-msg-unknown"),
        headers: bearer(POSTMARK_TOKEN),
      });
      expect(response.status).toBe(404);
      expect((await problem(response)).code).toBe("PLUGBOARD_NOT_FOUND");
    }
  });

  it("answers 503 while the adapter has no token stored, then accepts once it has", async () => {
    const before = await sendWebhook(server, GMAIL, {
      body: gmailPush("gm-msg-1", 1001),
      headers: bearer(GMAIL_TOKEN),
    });
    expect(before.status).toBe(503);
    expect((await problem(before)).detail).toContain("gmail_watch_token");

    await server.request("PUT", `/v1/plugins/${GMAIL}/secrets`, {
      body: { secrets: { gmail_watch_token: GMAIL_TOKEN } },
    });
    const after = await sendWebhook(server, GMAIL, {
      body: gmailPush("gm-msg-1", 1001),
      headers: bearer(GMAIL_TOKEN),
    });
    expect(after.status).toBe(202);
    const event = await recorded.delivered((await acknowledgement(after)).event_id);
    expect(event).toMatchObject({
      type: "route.watched_inbox",
      source: GMAIL,
      data: { emailAddress: "team@example.com", historyId: "1001" },
    });
  });

  it("answers 404 for a disabled adapter and accepts again once it is enabled", async () => {
    const toggle = (enabled: boolean) =>
      server.request("PATCH", `/v1/plugins/${GMAIL}`, { body: { enabled } });
    expect((await toggle(false)).status).toBe(200);
    const disabled = await sendWebhook(server, GMAIL, {
      body: gmailPush("gm-msg-while-disabled", 1002),
      headers: bearer(GMAIL_TOKEN),
    });
    expect(disabled.status).toBe(404);
    expect(await storedIds(GMAIL)).not.toContain("gm-msg-while-disabled");
    expect((await toggle(true)).status).toBe(200);
    const enabled = await sendWebhook(server, GMAIL, {
      body: gmailPush("gm-msg-while-disabled", 1002),
      headers: bearer(GMAIL_TOKEN),
    });
    expect(enabled.status).toBe(202);
  });

  it("keys deliveries per adapter: the same provider id at two adapters is two events", async () => {
    await server.request("PUT", `/v1/plugins/${GMAIL}/secrets`, {
      body: { secrets: { gmail_watch_token: GMAIL_TOKEN } },
    });
    const atPostmark = await postmark("shared-provider-id");
    const atGmail = await sendWebhook(server, GMAIL, {
      body: gmailPush("shared-provider-id", 1003),
      headers: bearer(GMAIL_TOKEN),
    });
    expect([atPostmark.status, atGmail.status]).toEqual([202, 202]);
  });
});
