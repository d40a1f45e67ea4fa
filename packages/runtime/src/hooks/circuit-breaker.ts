import { z } from "zod";

export const BREAKER_STATES = ["closed", "open", "half_open"] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** How every hook's breaker in a pipeline behaves; each field has a default. */
export const BreakerSettingsSchema = z.strictObject({
  /** Consecutive failures that open the breaker. */
  failureThreshold: z.int().min(1).default(5),
  /** How long an open breaker skips calls before letting one probe call through. */
  coolDownMs: z.int().min(0).default(30_000),
});
export type BreakerSettings = z.output<typeof BreakerSettingsSchema>;

/** One hook's breaker: plain data, changed only by the functions below. */
export interface CircuitBreaker {
  state: BreakerState;
  consecutiveFailures: number;
  /** When the breaker last opened, on the pipeline's clock; 0 while it never has. */
  openedAt: number;
}

export function createBreaker(): CircuitBreaker {
  return { state: "closed", consecutiveFailures: 0, openedAt: 0 };
}

/**
 * Whether a call may go ahead. An open breaker refuses until its cool-down has passed, then
 * turns half-open and admits that one call as its probe; a half-open breaker refuses every
 * other call until the probe settles. The pipeline asks only for fail-open hooks: a
 * fail-closed hook is always called.
 */
export function admitCall(
  breaker: CircuitBreaker,
  settings: BreakerSettings,
  now: number,
): boolean {
  switch (breaker.state) {
    case "closed":
      return true;
    case "open":
      if (now - breaker.openedAt < settings.coolDownMs) return false;
      breaker.state = "half_open";
      return true;
    case "half_open":
      return false;
    default: {
      const exhaustive: never = breaker.state;
      return exhaustive;
    }
  }
}

/** A call succeeded: the breaker closes and the failure count restarts. */
export function recordSuccess(breaker: CircuitBreaker): void {
  breaker.state = "closed";
  breaker.consecutiveFailures = 0;
}

/** A call failed: a failed probe reopens the breaker; enough failures in a row open it. */
export function recordFailure(
  breaker: CircuitBreaker,
  settings: BreakerSettings,
  now: number,
): void {
  breaker.consecutiveFailures += 1;
  const opens =
    breaker.state === "half_open" ||
    (breaker.state === "closed" && breaker.consecutiveFailures >= settings.failureThreshold);
  if (opens) {
    breaker.state = "open";
    breaker.openedAt = now;
  }
}
