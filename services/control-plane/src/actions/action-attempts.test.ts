import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "./action-attempts.js";

describe("backoffDelayMs", () => {
  it("doubles the wait from the base for each retry, up to the cap", () => {
    const policy = { maxAttempts: 10, backoffBaseMs: 2_000, backoffMaxMs: 30_000 };
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelayMs(policy, retry))).toEqual([
      2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });
});
