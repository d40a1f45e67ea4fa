import { describe, expect, it } from "vitest";
import { LifecycleSettingsSchema } from "./lifecycle-settings.js";
import { restartDelay } from "./restart-backoff.js";

describe("restartDelay", () => {
  it("doubles from one second up to a minute with the default settings", () => {
    const settings = LifecycleSettingsSchema.parse({});
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => restartDelay(settings, attempt));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });

  it("waits the same time every attempt with a factor of one", () => {
    const settings = LifecycleSettingsSchema.parse({
      restartInitialDelayMs: 250,
      restartBackoffFactor: 1,
    });
    expect([1, 2, 10].map((attempt) => restartDelay(settings, attempt))).toEqual([250, 250, 250]);
  });

  it("never waits longer than the maximum, even when it is below the initial delay", () => {
    const settings = LifecycleSettingsSchema.parse({
      restartInitialDelayMs: 500,
      restartMaxDelayMs: 100,
    });
    expect(restartDelay(settings, 1)).toBe(100);
  });

  it("stays finite for a very long run of restarts", () => {
    const settings = LifecycleSettingsSchema.parse({ restartBackoffFactor: 100 });
    expect(restartDelay(settings, 10_000)).toBe(60_000);
  });
});
