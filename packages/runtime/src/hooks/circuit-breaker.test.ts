import { describe, expect, it } from "vitest";
import {
  admitCall,
  BreakerSettingsSchema,
  createBreaker,
  recordFailure,
  recordSuccess,
} from "./circuit-breaker.js";

const settings = { failureThreshold: 3, coolDownMs: 1_000 };

function trippedAt(time: number) {
  const breaker = createBreaker();
  for (let i = 0; i < settings.failureThreshold; i++) recordFailure(breaker, settings, time);
  return breaker;
}

describe("circuit breaker", () => {
  it("stays closed below the threshold of consecutive failures", () => {
    const breaker = createBreaker();
    recordFailure(breaker, settings, 0);
    recordFailure(breaker, settings, 0);
    expect(breaker.state).toBe("closed");
    expect(admitCall(breaker, settings, 0)).toBe(true);
  });

  it("counts only failures in a row: a success starts the count again", () => {
    const breaker = createBreaker();
    recordFailure(breaker, settings, 0);
    recordFailure(breaker, settings, 0);
    recordSuccess(breaker);
    recordFailure(breaker, settings, 0);
    expect(breaker).toMatchObject({ state: "closed", consecutiveFailures: 1 });
  });

  it("opens at the threshold and refuses calls until the cool-down has passed", () => {
    const breaker = trippedAt(5_000);
    expect(breaker).toMatchObject({ state: "open", openedAt: 5_000 });
    expect(admitCall(breaker, settings, 5_999)).toBe(false);
    expect(breaker.state).toBe("open");
  });

  it("admits one probe after the cool-down and refuses the rest while it runs", () => {
    const breaker = trippedAt(0);
    expect(admitCall(breaker, settings, 1_000)).toBe(true);
    expect(breaker.state).toBe("half_open");
    expect(admitCall(breaker, settings, 1_001)).toBe(false);
    expect(admitCall(breaker, settings, 9_999)).toBe(false);
  });

  it("closes when the probe succeeds", () => {
    const breaker = trippedAt(0);
    admitCall(breaker, settings, 1_000);
    recordSuccess(breaker);
    expect(breaker).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    expect(admitCall(breaker, settings, 1_000)).toBe(true);
  });

  it("reopens for a new cool-down when the probe fails", () => {
    const breaker = trippedAt(0);
    admitCall(breaker, settings, 1_500);
    recordFailure(breaker, settings, 1_500);
    expect(breaker).toMatchObject({ state: "open", openedAt: 1_500 });
    expect(admitCall(breaker, settings, 2_000)).toBe(false);
    expect(admitCall(breaker, settings, 2_500)).toBe(true);
  });

  it("defaults to five failures and a 30 s cool-down, and rejects a zero threshold", () => {
    expect(BreakerSettingsSchema.parse({})).toEqual({ failureThreshold: 5, coolDownMs: 30_000 });
    expect(BreakerSettingsSchema.safeParse({ failureThreshold: 0 }).success).toBe(false);
  });
});
