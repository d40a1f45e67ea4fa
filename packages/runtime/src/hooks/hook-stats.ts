import type { FailMode, HookRing } from "@plugboard/plugin-sdk";
import type { BreakerState, CircuitBreaker } from "./circuit-breaker.js";
import type { HookFailureKind } from "./hook.js";

/** One hook's counters, as a snapshot. */
export interface HookStats {
  readonly id: string;
  readonly ring: HookRing;
  readonly failMode: FailMode;
  /** Calls made, failed or not. */
  readonly calls: number;
  readonly failures: Readonly<Record<HookFailureKind, number>>;
  /** Requests that went on without this hook's verdict: failed fail-open calls and skips. */
  readonly bypasses: number;
  /** The bypasses where the open breaker skipped the hook without calling it. */
  readonly breakerSkips: number;
  readonly breaker: { readonly state: BreakerState; readonly consecutiveFailures: number };
}

/** The mutable counters behind a `HookStats`. */
export interface HookCounters {
  calls: number;
  failures: Record<HookFailureKind, number>;
  bypasses: number;
  breakerSkips: number;
}

export function createCounters(): HookCounters {
  return {
    calls: 0,
    failures: { throw: 0, rejection: 0, timeout: 0, bad_result: 0, crash: 0 },
    bypasses: 0,
    breakerSkips: 0,
  };
}

export function snapshotStats(
  manifest: { readonly id: string; readonly ring: HookRing; readonly failMode: FailMode },
  counters: HookCounters,
  breaker: CircuitBreaker,
): HookStats {
  return {
    id: manifest.id,
    ring: manifest.ring,
    failMode: manifest.failMode,
    calls: counters.calls,
    failures: { ...counters.failures },
    bypasses: counters.bypasses,
    breakerSkips: counters.breakerSkips,
    breaker: { state: breaker.state, consecutiveFailures: breaker.consecutiveFailures },
  };
}
