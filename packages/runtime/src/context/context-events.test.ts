import type { PluginEvent } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { contextFixture, refusal } from "./testing/context-fixture.js";

describe("events", () => {
  it("publishes events with the plugin as source and delivers copies to subscribers", async () => {
    const { context, bus } = contextFixture();
    const received: PluginEvent[] = [];
    const subscription = await context.events.subscribe("crm.>", (event) => {
      received.push(event);
    });
    const data = { id: "c1" };
    await context.events.publish("crm.contact", data);
    data.id = "changed";
    await bus.idle();
    expect(received).toMatchObject([
      { subject: "crm.contact", source: "connector.crm", data: { id: "c1" } },
    ]);
    await subscription.unsubscribe();
    await subscription.unsubscribe();
    await context.events.publish("crm.contact", {});
    expect(received).toHaveLength(1);
  });

  it("refuses wildcard subjects to publish on and malformed patterns", async () => {
    const { context } = contextFixture();
    expect((await refusal(() => context.events.publish("crm.*", {}))).code).toBe(
      "invalid_argument",
    );
    expect((await refusal(() => context.events.subscribe("crm..x", () => {}))).code).toBe(
      "invalid_argument",
    );
  });

  it("caps how many subscriptions a plugin holds", async () => {
    const { context } = contextFixture();
    for (let i = 0; i < 64; i++) await context.events.subscribe("crm.*", () => {});
    expect(await refusal(() => context.events.subscribe("crm.*", () => {}))).toEqual({
      code: "limit_exceeded",
      message: 'events.subscribe: plugin "connector.crm" already holds 64 subscriptions',
    });
  });

  it("refuses publishing past the burst, naming the limit, until the rate refills it", async () => {
    const { context, bus } = contextFixture({
      limits: { maxPublishPerSecond: 10, publishBurst: 3 },
    });
    const received: PluginEvent[] = [];
    await context.events.subscribe("crm.>", (event) => {
      received.push(event);
    });
    for (let i = 0; i < 3; i++) await context.events.publish("crm.contact", { i });
    expect(await refusal(() => context.events.publish("crm.contact", { i: 3 }))).toEqual({
      code: "limit_exceeded",
      message:
        'events.publish: plugin "connector.crm" publishes faster than its limit (maxPublishPerSecond) of 10 events a second, after a burst (publishBurst) of 3',
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await context.events.publish("crm.contact", { i: 4 });
    await bus.idle();
    expect(received.map((event) => event.data)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 4 }]);
  });

  it("spends none of the publish allowance on a call it refuses for another reason", async () => {
    const { context } = contextFixture({ limits: { maxPublishPerSecond: 0.001, publishBurst: 1 } });
    for (let i = 0; i < 3; i++) {
      expect((await refusal(() => context.events.publish("erp.order", {}))).code).toBe(
        "permission_denied",
      );
      expect((await refusal(() => context.events.publish("crm.*", {}))).code).toBe(
        "invalid_argument",
      );
    }
    await expect(context.events.publish("crm.contact", {})).resolves.toBeUndefined();
    expect((await refusal(() => context.events.publish("crm.contact", {}))).code).toBe(
      "limit_exceeded",
    );
  });
});
