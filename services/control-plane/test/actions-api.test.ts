import {
  ActionListResponseWireSchema,
  ActionWireSchema,
  AuditListResponseWireSchema,
  ProblemDetailsWireSchema,
  TokenCreateResponseWireSchema,
  WorkerActionCapabilityWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectSmtpRelay,
  FOLLOW_UP_EMAIL,
  FROM_ADDRESS,
  getAction,
  installFollowUpWorker,
  QUICK_EXECUTOR,
  requestEmail,
  SMTP_LOGIN,
  setBoundaryMode,
  waitForStatus,
} from "./governed-actions.js";
import { type LocalSmtpServer, startLocalSmtpServer } from "./local-smtp-server.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

describe("governed actions over HTTP", () => {
  let smtp: LocalSmtpServer;
  let server: RunningControlPlane;
  let workerId: string;
  let reviewer: { token: string; id: string };

  beforeAll(async () => {
    smtp = await startLocalSmtpServer();
    server = await startControlPlane("actions", QUICK_EXECUTOR);
    await connectSmtpRelay(server, smtp);
    workerId = await installFollowUpWorker(server);
    const response = await server.request("POST", "/v1/tokens", {
      body: { name: "reviewer", scopes: ["actions:review"] },
    });
    const created = TokenCreateResponseWireSchema.parse(await response.json());
    reviewer = { token: created.token, id: created.summary.id };
  });
  afterAll(async () => {
    await server.stop();
    await smtp.close();
  });

  /** The messages the SMTP server accepted for one action. */
  const deliveredFor = (actionId: string) =>
    smtp.received.filter(
      (message) => message.mail.headers.get("x-plugboard-action-id") === actionId,
    );
  /** Several executor polls: long enough for anything queued to have been sent. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
  const decide = (id: string, decision: "approve" | "reject" | "retry", body: unknown = {}) =>
    server.request("POST", `/v1/actions/${id}/${decision}`, { token: reviewer.token, body });
  const auditOf = async (id: string) => {
    const response = await server.request("GET", `/v1/audit?target=${id}`);
    return AuditListResponseWireSchema.parse(await response.json()).entries;
  };

  it("holds a request for review while the worker's boundary mode is ask_me, and sends nothing", async () => {
    const action = await requestEmail(server, workerId);
    expect(action).toMatchObject({
      worker_id: workerId,
      kind: "send_email",
      destination_provider: "smtp_relay",
      executor_plugin_id: "action.smtp-reviewed-send",
      boundary_mode: "ask_me",
      status: "pending",
      requested_by: "admin",
      review: null,
      attempt_count: 0,
      payload: FOLLOW_UP_EMAIL,
    });
    const queue = await server.request("GET", "/v1/actions?status=pending", {
      token: reviewer.token,
    });
    const pending = ActionListResponseWireSchema.parse(await queue.json()).actions;
    expect(pending.map((entry) => entry.id)).toContain(action.id);
    await settle();
    expect(deliveredFor(action.id)).toEqual([]);
    expect((await getAction(server, action.id)).attempts).toEqual([]);
  });

  it("delivers an approved action exactly once and records the reviewer and reason", async () => {
    const action = await requestEmail(server, workerId);
    const approved = await decide(action.id, "approve", { reason: "Checked the dates" });
    expect(approved.status).toBe(200);
    const body = ActionWireSchema.parse(await approved.json());
    expect(body.status).toBe("queued");
    expect(body.review).toMatchObject({
      decision: "approved",
      reviewed_by: reviewer.id,
      reason: "Checked the dates",
    });

    const done = await waitForStatus(server, action.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    await settle();
    const messages = deliveredFor(action.id);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message?.recipients).toEqual([...FOLLOW_UP_EMAIL.to, ...FOLLOW_UP_EMAIL.cc]);
    expect(message?.from).toBe(FROM_ADDRESS);
    expect(message?.user).toBe(SMTP_LOGIN.username);
    expect(message?.mail.subject).toBe(FOLLOW_UP_EMAIL.subject);
    expect(message?.mail.text?.trim()).toBe(FOLLOW_UP_EMAIL.text);
    const messageId = `<${done.idempotency_key}@acme.example>`;
    expect(message?.mail.messageId).toBe(messageId);
    expect(done.result).toMatchObject({ message_id: messageId, accepted: message?.recipients });
    expect(done.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        idempotency_key: done.idempotency_key,
        status: "succeeded",
        error: null,
      }),
    ]);
    const audit = (await auditOf(action.id)).map((entry) => [entry.action, entry.actor]);
    expect(audit).toEqual([
      ["action.succeed", "system"],
      ["action.claim", "system"],
      ["action.approve", reviewer.id],
      ["action.request", "admin"],
    ]);
  });

  it("answers 409 to a second approval and to approving a rejected action, which is never sent", async () => {
    const approved = await requestEmail(server, workerId);
    expect((await decide(approved.id, "approve")).status).toBe(200);
    const again = await decide(approved.id, "approve");
    expect(again.status).toBe(409);
    expect(ProblemDetailsWireSchema.parse(await again.json()).code).toBe("PLUGBOARD_CONFLICT");

    const rejected = await requestEmail(server, workerId);
    expect((await decide(rejected.id, "reject", {})).status).toBe(422);
    const rejection = await decide(rejected.id, "reject", { reason: "Wrong recipient" });
    expect(rejection.status).toBe(200);
    expect(ActionWireSchema.parse(await rejection.json()).review).toMatchObject({
      decision: "rejected",
      reviewed_by: reviewer.id,
      reason: "Wrong recipient",
    });
    expect((await decide(rejected.id, "approve")).status).toBe(409);
    expect((await decide(rejected.id, "reject", { reason: "again" })).status).toBe(409);

    await waitForStatus(server, approved.id, ["succeeded"]);
    await settle();
    expect(deliveredFor(approved.id)).toHaveLength(1);
    expect(deliveredFor(rejected.id)).toEqual([]);
    expect((await getAction(server, rejected.id)).status).toBe("rejected");
  });

  it("lets only one of two concurrent decisions land", async () => {
    const action = await requestEmail(server, workerId);
    const answers = await Promise.all([
      decide(action.id, "approve"),
      decide(action.id, "reject", { reason: "no" }),
      decide(action.id, "approve"),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409]);
  });

  it("queues and delivers at once when the boundary mode is auto", async () => {
    await setBoundaryMode(server, workerId, "auto");
    const action = await requestEmail(server, workerId);
    expect(action).toMatchObject({ status: "queued", boundary_mode: "auto", review: null });
    const done = await waitForStatus(server, action.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    await settle();
    expect(deliveredFor(action.id)).toHaveLength(1);
  });

  it("refuses and records a request when the boundary mode is never", async () => {
    await setBoundaryMode(server, workerId, "never");
    const action = await requestEmail(server, workerId);
    expect(action).toMatchObject({ status: "refused", boundary_mode: "never" });
    await settle();
    expect(deliveredFor(action.id)).toEqual([]);
    expect((await auditOf(action.id)).map((entry) => entry.action)).toEqual(["action.refuse"]);
    expect((await decide(action.id, "approve")).status).toBe(409);
    expect((await decide(action.id, "retry")).status).toBe(409);
    await setBoundaryMode(server, workerId, "ask_me");
  });

  it("records on the action who retried it, why and how often, beside the audit log", async () => {
    smtp.refuseNext(2, { code: 550, message: "Mailbox unavailable" });
    const action = await requestEmail(server, workerId);
    expect(action.last_retry).toBeNull();
    expect((await decide(action.id, "approve")).status).toBe(200);
    expect((await waitForStatus(server, action.id, ["failed", "succeeded"])).status).toBe("failed");

    const first = await decide(action.id, "retry", { reason: "the mailbox exists now" });
    expect(first.status).toBe(200);
    const queued = ActionWireSchema.parse(await first.json());
    expect(queued.last_retry).toMatchObject({
      retried_by: reviewer.id,
      reason: "the mailbox exists now",
      count: 1,
    });
    expect((await waitForStatus(server, action.id, ["failed", "succeeded"])).status).toBe("failed");

    expect(
      (await server.request("POST", `/v1/actions/${action.id}/retry`, { body: {} })).status,
    ).toBe(200);
    const done = await waitForStatus(server, action.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.last_retry).toMatchObject({ retried_by: "admin", reason: null, count: 2 });
    expect(Date.parse(done.last_retry?.retried_at ?? "")).toBeGreaterThanOrEqual(
      Date.parse(queued.last_retry?.retried_at ?? ""),
    );
    const retries = (await auditOf(action.id)).filter((entry) => entry.action === "action.retry");
    expect(retries.map((entry) => entry.actor)).toEqual(["admin", reviewer.id]);
  });

  it("sets a boundary mode through the API, audited with the modes before and after", async () => {
    const path = `/v1/workers/${workerId}/action-capabilities/send_email`;
    const response = await server.request("PUT", path, { body: { boundary_mode: "auto" } });
    expect(WorkerActionCapabilityWireSchema.parse(await response.json())).toEqual({
      worker_id: workerId,
      kind: "send_email",
      boundary_mode: "auto",
    });
    const audit = await server.request("GET", `/v1/audit?action=worker.boundary_mode.update`);
    expect(AuditListResponseWireSchema.parse(await audit.json()).entries[0]?.detail).toEqual({
      kind: "send_email",
      before: "ask_me",
      after: "auto",
    });
    await setBoundaryMode(server, workerId, "ask_me");
    const unknown = await server.request(
      "PUT",
      `/v1/workers/${workerId}/action-capabilities/send_fax`,
      { body: { boundary_mode: "auto" } },
    );
    expect(unknown.status).toBe(404);
    const malformed = await server.request("PUT", path, { body: { boundary_mode: "always" } });
    expect(malformed.status).toBe(422);
  });

  it("refuses an unknown worker, a kind the worker lacks and a payload the executor rejects", async () => {
    const create = (body: unknown) => server.request("POST", "/v1/actions", { body });
    const noWorker = await create({
      worker_id: "absent",
      kind: "send_email",
      payload: FOLLOW_UP_EMAIL,
    });
    expect(noWorker.status).toBe(404);
    expect(ProblemDetailsWireSchema.parse(await noWorker.json()).errors[0]?.path).toBe("worker_id");
    const noCapability = await create({ worker_id: workerId, kind: "send_fax", payload: {} });
    expect(noCapability.status).toBe(422);
    expect(ProblemDetailsWireSchema.parse(await noCapability.json()).errors[0]?.path).toBe("kind");
    const badPayload = await create({
      worker_id: workerId,
      kind: "send_email",
      payload: { to: ["not an address"], subject: "Hello\r\nBcc: eve@example.com" },
    });
    expect(badPayload.status).toBe(422);
    const paths = ProblemDetailsWireSchema.parse(await badPayload.json())
      .errors.map((error) => error.path)
      .sort();
    expect(paths).toEqual(["payload.subject", "payload.text", "payload.to[0]"]);
    const noDestination = await create({
      worker_id: workerId,
      kind: "send_email",
      destination_provider: "postmark",
      payload: FOLLOW_UP_EMAIL,
    });
    expect(noDestination.status).toBe(422);
    expect(ProblemDetailsWireSchema.parse(await noDestination.json()).errors[0]?.path).toBe(
      "destination_provider",
    );
  });

  it("answers a repeated Idempotency-Key with the first action, and refuses it for another body", async () => {
    const send = (subject: string) =>
      server.request("POST", "/v1/actions", {
        headers: { "idempotency-key": "draft-42" },
        body: {
          worker_id: workerId,
          kind: "send_email",
          payload: { ...FOLLOW_UP_EMAIL, subject },
        },
      });
    const [first, second] = await Promise.all([send("Draft 42"), send("Draft 42")]);
    expect([first.status, second.status]).toEqual([201, 201]);
    const ids = await Promise.all(
      [first, second].map(async (answer) => ActionWireSchema.parse(await answer.json()).id),
    );
    expect(new Set(ids).size).toBe(1);
    const other = await send("Draft 43");
    expect(other.status).toBe(422);
  });

  it("pages through actions newest first by following next_cursor, filtered by status", async () => {
    const list = async (query: string) => {
      const response = await server.request("GET", `/v1/actions${query}`, {
        token: reviewer.token,
      });
      expect(response.status).toBe(200);
      return ActionListResponseWireSchema.parse(await response.json());
    };
    const all = (await list("?limit=200")).actions;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "?limit=3" : `?limit=3&cursor=${cursor}`;
      const page = await list(query);
      seen.push(...page.actions.map((action) => action.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.map((action) => action.id));
    expect(new Set(all.map((action) => action.created_at)).size).toBeGreaterThan(1);
    const refused = (await list("?status=refused")).actions;
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((action) => action.status === "refused")).toBe(true);
    const badCursor = await server.request("GET", "/v1/actions?cursor=bm90LWEtY3Vyc29y", {
      token: reviewer.token,
    });
    expect(badCursor.status).toBe(400);
    const badStatus = await server.request("GET", "/v1/actions?status=sent", {
      token: reviewer.token,
    });
    expect(badStatus.status).toBe(400);
  });

  it("answers 404 for an action that does not exist", async () => {
    expect((await server.request("GET", "/v1/actions/absent")).status).toBe(404);
    expect((await decide("absent", "approve")).status).toBe(404);
    expect((await decide("absent", "retry")).status).toBe(404);
  });
});
