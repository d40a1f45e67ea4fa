import { describe, expect, it } from "vitest";
import { createInFlight } from "./in-flight.js";

describe("createInFlight", () => {
  it("resolves drained at once when nothing is under way", async () => {
    await expect(createInFlight().drained(10_000)).resolves.toBeUndefined();
  });

  it("resolves drained when the last one leaves", async () => {
    const inFlight = createInFlight();
    inFlight.enter();
    inFlight.enter();
    let done = false;
    const drained = inFlight.drained(10_000).then(() => {
      done = true;
    });
    inFlight.leave();
    await Promise.resolve();
    expect(done).toBe(false);
    inFlight.leave();
    await drained;
    expect(inFlight.count).toBe(0);
  });

  it("gives up waiting after the timeout", async () => {
    const inFlight = createInFlight();
    inFlight.enter();
    const started = performance.now();
    await inFlight.drained(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    expect(inFlight.count).toBe(1);
  });
});
