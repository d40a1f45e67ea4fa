import { EventListResponseWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventBus } from "../src/events/event-bus.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import {
  acknowledgement,
  POSTMARK,
  postmarkMessage,
  type RecordingBus,
  recordingBus,
  sendWebhook,
  storePostmarkToken,
} from "./webhook-fixtures.js";

const TOKEN = "pm-token-7Kd3-republish-shared-secret";

describe("ingress events the bus did not accept", () => {
  let server: RunningControlPlane;
  let recorded: RecordingBus;
  /** While true, the bus refuses every event, as a NATS server that is down would. */
  let busDown = false;
  beforeAll(async () => {
    recorded = await recordingBus();
    const bus: EventBus = {
      publish: (event) =>
        busDown ? Promise.reject(new Error("event bus unavailable")) : recorded.bus.publish(event),
      subscribe: (pattern, handler) => recorded.bus.subscribe(pattern, handler),
      close: () => recorded.bus.close(),
    };
    server = await startControlPlane("webhooks-republish", {}, { eventBus: bus });
    await storePostmarkToken(server, TOKEN);
  });
  afterAll(async () => {
    await server.stop();
    await recorded.bus.close();
  });

  const statusOf = async (eventId: string) => {
    const response = await server.request("GET", `/v1/events?plugin=${POSTMARK}`);
    const { events } = EventListResponseWireSchema.parse(await response.json());
    return events.find((event) => event.id === eventId)?.status;
  };

  it("acknowledges a stored event while the bus is down, and publishes it at the next start", async () => {
    busDown = true;
    const response = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage("pm-msg-bus-down"),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(202);
    const { event_id: eventId } = await acknowledgement(response);
    expect(await statusOf(eventId)).toBe("pending");
    expect(recorded.count(eventId)).toBe(0);

    busDown = false;
    await server.restart();
    const event = await recorded.delivered(eventId);
    expect(event).toMatchObject({
      id: eventId,
      type: "route.forward_email",
      source: POSTMARK,
      correlationId: eventId,
      data: { messageId: "pm-msg-bus-down" },
    });
    expect(await statusOf(eventId)).toBe("published");

    // Published events are not published again by a later start.
    await server.restart();
    const redelivery = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage("pm-msg-after-restarts"),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    await recorded.delivered((await acknowledgement(redelivery)).event_id);
    expect(recorded.count(eventId)).toBe(1);
  });
});
