import { ProblemDetailsWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";
import {
  acknowledgement,
  newSigningSecret,
  type RecordingBus,
  recordingBus,
  SIGNED,
  sendWebhook,
  signedOrdersAdapter,
  standardWebhookHeaders,
} from "./webhook-fixtures.js";

describe("webhooks signed with the Standard Webhooks scheme", () => {
  let server: RunningControlPlane;
  let recorded: RecordingBus;
  const secret = newSigningSecret();
  beforeAll(async () => {
    recorded = await recordingBus();
    server = await startControlPlane("webhooks-signatures", {}, { eventBus: recorded.bus });
    const installed = await server.request("POST", "/v1/plugins", {
      body: { manifest: signedOrdersAdapter() },
    });
    expect(installed.status).toBe(201);
    const stored = await server.request("PUT", `/v1/plugins/${SIGNED}/secrets`, {
      body: { secrets: { acme_signing_secret: secret } },
    });
    expect(stored.status).toBe(200);
  });
  afterAll(async () => {
    await server.stop();
    await recorded.bus.close();
  });

  /** Sends `body` with `headers`, keeping every signature sent out of the server log. */
  const send = (body: string, headers: Record<string, string>) => {
    const signature = headers["webhook-signature"];
    for (const entry of signature?.split(" ") ?? []) {
      server.forbidInLog(entry.slice("v1,".length));
    }
    return sendWebhook(server, SIGNED, { body, headers });
  };
  const order = (number: number) => JSON.stringify({ type: "order.created", order: number });
  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());
  const storedIds = () =>
    withServerDatabase(server, (db) =>
      db
        .selectFrom("ingress_events")
        .select("provider_event_id")
        .where("plugin_id", "=", SIGNED)
        .execute(),
    ).then((rows) => rows.map((row) => row.provider_event_id));

  it("accepts a signed delivery, keyed on webhook-id, and publishes its JSON body as the route event", async () => {
    const body = order(1);
    const response = await send(body, standardWebhookHeaders(secret, "msg_order_1", body));
    expect(response.status).toBe(202);
    const { event_id: eventId } = await acknowledgement(response);
    expect(await recorded.delivered(eventId)).toMatchObject({
      type: "route.acme_order",
      source: SIGNED,
      data: { type: "order.created", order: 1 },
    });
    expect(await storedIds()).toContain("msg_order_1");
  });

  it("accepts a delivery carrying the old and the new signature while a secret rotates", async () => {
    const body = order(2);
    const valid = standardWebhookHeaders(secret, "msg_order_2", body);
    const stale = standardWebhookHeaders(newSigningSecret(), "msg_order_2", body);
    const response = await send(body, {
      ...valid,
      "webhook-signature": `${stale["webhook-signature"]} ${valid["webhook-signature"]}`,
    });
    expect(response.status).toBe(202);
  });

  it("refuses a forged signature, a changed body and a changed id with 401", async () => {
    const body = order(3);
    const forged = await send(body, standardWebhookHeaders(newSigningSecret(), "msg_forged", body));
    const altered = await send(order(4), standardWebhookHeaders(secret, "msg_altered", body));
    const renamed = await send(body, {
      ...standardWebhookHeaders(secret, "msg_original", body),
      "webhook-id": "msg_renamed",
    });
    for (const response of [forged, altered, renamed]) {
      expect(response.status).toBe(401);
      const body = await problem(response);
      expect(body.code).toBe("PLUGBOARD_WEBHOOK_SIGNATURE_INVALID");
      expect(body.errors).toEqual([
        expect.objectContaining({ path: "headers.webhook-signature", code: "signature_mismatch" }),
      ]);
    }
    const stored = await storedIds();
    for (const id of ["msg_forged", "msg_altered", "msg_original", "msg_renamed"]) {
      expect(stored).not.toContain(id);
    }
  });

  it("refuses an unsigned delivery naming each missing header", async () => {
    const body = order(5);
    const { "webhook-signature": _signature, ...unsigned } = standardWebhookHeaders(
      secret,
      "msg_unsigned",
      body,
    );
    const response = await send(body, unsigned);
    expect(response.status).toBe(401);
    const details = await problem(response);
    expect(details.code).toBe("PLUGBOARD_WEBHOOK_SIGNATURE_INVALID");
    expect(details.errors.map((error) => error.path)).toEqual(["headers.webhook-signature"]);
  });

  it("refuses a correctly signed delivery replayed after the window, or dated ahead of it", async () => {
    const body = order(6);
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 301, now + 301]) {
      const response = await send(
        body,
        standardWebhookHeaders(secret, `msg_replayed_${timestamp}`, body, timestamp),
      );
      expect(response.status).toBe(401);
      const details = await problem(response);
      expect(details.code).toBe("PLUGBOARD_WEBHOOK_TIMESTAMP_OUT_OF_RANGE");
      expect(details.errors[0]).toMatchObject({
        path: "headers.webhook-timestamp",
        code: "stale_timestamp",
      });
    }
    expect((await storedIds()).filter((id) => id.startsWith("msg_replayed_"))).toEqual([]);
  });

  it("treats a redelivery with the same webhook-id, signed again later, as the same event", async () => {
    const body = order(7);
    const now = Math.floor(Date.now() / 1000);
    const eventIds: string[] = [];
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await send(
        body,
        standardWebhookHeaders(secret, "msg_retried", body, now - 60 + attempt * 10),
      );
      statuses.push(response.status);
      eventIds.push((await acknowledgement(response)).event_id);
    }
    expect(statuses).toEqual([202, 200, 200, 200, 200]);
    expect(new Set(eventIds).size).toBe(1);
    const marker = order(8);
    const next = await send(marker, standardWebhookHeaders(secret, "msg_after_retries", marker));
    await recorded.delivered((await acknowledgement(next)).event_id);
    expect(recorded.count(eventIds[0] ?? "")).toBe(1);
  });

  it("refuses a webhook-id that is not a usable event id", async () => {
    const body = order(9);
    const response = await send(body, standardWebhookHeaders(secret, "msg with spaces", body));
    expect(response.status).toBe(400);
    expect((await problem(response)).errors[0]?.path).toBe("headers.webhook-id");
  });
});
