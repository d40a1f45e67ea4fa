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
});
