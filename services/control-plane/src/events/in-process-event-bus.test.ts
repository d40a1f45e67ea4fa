import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "./event-envelope.js";
import { createInProcessEventBus } from "./in-process-event-bus.js";
import { SubjectPatternError } from "./subject-pattern.js";

const event = (id: string, type: string): EventEnvelope => ({
  id,
  type,
  version: 1,
  time: "2025-01-01T00:00:00.000Z",
  source: "ingress.test.events",
  correlationId: id,
  data: { id },
});

const failOnHandlerError = (error: unknown) => {
  throw error;
};

describe("in-process event bus", () => {
  it("delivers each event to the subscriptions whose pattern matches its type", async () => {
    const bus = createInProcessEventBus(failOnHandlerError);
    const seen: Record<string, string[]> = { exact: [], star: [], tail: [], other: [] };
    await bus.subscribe("route.forward_email", (e) => void seen.exact?.push(e.id));
    await bus.subscribe("route.*", (e) => void seen.star?.push(e.id));
    await bus.subscribe("route.>", (e) => void seen.tail?.push(e.id));
    await bus.subscribe("action.>", (e) => void seen.other?.push(e.id));
    await bus.publish(event("a", "route.forward_email"));
    await bus.publish(event("b", "route.watched_inbox"));
    await bus.publish(event("c", "route.chat.reply"));
    await bus.close();
    expect(seen).toEqual({
      exact: ["a"],
      star: ["a", "b"],
      tail: ["a", "b", "c"],
      other: [],
    });
  });

  it("hands a subscriber its events in publish order, one at a time", async () => {
    const bus = createInProcessEventBus(failOnHandlerError);
    const log: string[] = [];
    let release: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    await bus.subscribe("route.>", async (e) => {
      log.push(`start ${e.id}`);
      if (e.id === "1") await firstHeld;
      log.push(`end ${e.id}`);
    });
    await bus.publish(event("1", "route.chat"));
    await bus.publish(event("2", "route.chat"));
    release();
    await bus.close();
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2"]);
  });

  it("hands the events published in one turn over together, on one later turn", async () => {
    const bus = createInProcessEventBus(failOnHandlerError);
    const log: string[] = [];
    await bus.subscribe("route.>", (e) => void log.push(e.id));
    await bus.publish(event("1", "route.chat"));
    await bus.publish(event("2", "route.chat"));
    await bus.publish(event("3", "route.chat"));
    setImmediate(() => log.push("a later turn"));
    await bus.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(["1", "2", "3", "a later turn"]);
  });

  it("resolves publish before any handler runs", async () => {
    const bus = createInProcessEventBus(failOnHandlerError);
    let handled = false;
    await bus.subscribe("route.>", () => {
      handled = true;
    });
    await bus.publish(event("1", "route.chat"));
    expect(handled).toBe(false);
    await bus.close();
    expect(handled).toBe(true);
  });

  it("reports a failing handler and keeps delivering to it", async () => {
    const reported: Array<[string, string]> = [];
    const bus = createInProcessEventBus((error, e, pattern) => {
      reported.push([e.id, `${pattern}: ${error instanceof Error ? error.message : ""}`]);
    });
    const handled: string[] = [];
    await bus.subscribe("route.>", (e) => {
      if (e.id === "bad") throw new Error("handler broke");
      handled.push(e.id);
    });
    await bus.publish(event("bad", "route.chat"));
    await bus.publish(event("good", "route.chat"));
    await bus.close();
    expect(reported).toEqual([["bad", "route.>: handler broke"]]);
    expect(handled).toEqual(["good"]);
  });

  it("stops delivering after unsubscribe", async () => {
    const bus = createInProcessEventBus(failOnHandlerError);
    const handled: string[] = [];
    const subscription = await bus.subscribe("route.>", (e) => void handled.push(e.id));
    await bus.publish(event("1", "route.chat"));
    await subscription.unsubscribe();
    await bus.publish(event("2", "route.chat"));
    await bus.close();
    expect(handled).toEqual(["1"]);
  });

  it("refuses a pattern outside the subject grammar", async () => {
    const bus = createInProcessEventBus(failOnHandlerError);
    for (const pattern of ["", "route..chat", "route.>.chat", "route chat", "route.#"]) {
      await expect(bus.subscribe(pattern, () => {})).rejects.toBeInstanceOf(SubjectPatternError);
    }
  });

  it("refuses events after close", async () => {
    const bus = createInProcessEventBus(failOnHandlerError);
    await bus.close();
    await expect(bus.publish(event("1", "route.chat"))).rejects.toThrow("closed");
  });
});
