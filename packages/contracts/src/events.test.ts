import { describe, expect, it } from "vitest";
import {
  EventListQueryWireSchema,
  EventListResponseSchema,
  EventListResponseWireSchema,
  WebhookAcknowledgementSchema,
} from "./events.js";
import { toWire } from "./wire-case.js";

const event = {
  id: "0f8b2f8e-5d0c-4a53-9d7e-5f2b1d1c9a10",
  type: "route.forward_email",
  version: 1,
  time: "2025-03-01T12:00:00.000Z",
  source: "ingress.postmark.forward-email",
  correlationId: "0f8b2f8e-5d0c-4a53-9d7e-5f2b1d1c9a10",
  providerEventId: "73e6d360-66eb-11e1-8e72-a8904824019b",
  status: "published" as const,
  publishedAt: "2025-03-01T12:00:00.004Z",
  data: { messageId: "73e6d360", textBody: "hello" },
};

describe("received events", () => {
  it("sends envelope fields in snake_case and the event's data as the adapter produced it", () => {
    const wire = toWire(EventListResponseSchema, { events: [event], nextCursor: null });
    expect(wire).toEqual({
      events: [
        {
          id: event.id,
          type: event.type,
          version: 1,
          time: event.time,
          source: event.source,
          correlation_id: event.correlationId,
          provider_event_id: event.providerEventId,
          status: "published",
          published_at: event.publishedAt,
          data: { messageId: "73e6d360", textBody: "hello" },
        },
      ],
      next_cursor: null,
    });
    expect(EventListResponseWireSchema.parse(wire)).toEqual(wire);
  });

  it("filters by a plugin id and a known status only", () => {
    expect(EventListQueryWireSchema.safeParse({ plugin: "ingress.gmail.watch-hook" }).success).toBe(
      true,
    );
    const bad = EventListQueryWireSchema.safeParse({ plugin: "gmail", status: "lost" });
    expect(bad.error?.issues.map((issue) => issue.path.join("."))).toEqual(["plugin", "status"]);
  });

  it("acknowledges a webhook with the event id in snake_case", () => {
    expect(toWire(WebhookAcknowledgementSchema, { eventId: "e-1", duplicate: true })).toEqual({
      event_id: "e-1",
      duplicate: true,
    });
  });
});
