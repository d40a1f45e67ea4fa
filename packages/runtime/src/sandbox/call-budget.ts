/**
 * What one call may still spend: CPU time in the isolate, summed over all its runs, and the
 * wall-clock time until its deadline. Each run of the call is given the lower of the two as
 * its timeout.
 */
export interface CallBudget {
  /** The call's whole CPU budget, in milliseconds. */
  readonly cpuTimeMs: number;
  /** The call's wall-clock limit, in milliseconds. */
  readonly wallTimeMs: number;
  /** CPU milliseconds used so far. */
  readonly usedMs: number;
  /** Whether the call has settled; after that only its CPU budget bounds its runs. */
  readonly settled: boolean;
  /** When the call settled (`performance.now()`), or undefined. */
  readonly settledAt: number | undefined;
  /** What the next run may take, in milliseconds, and which limit sets it. */
  nextRun(): RunAllowance;
  charge(ms: number): void;
  markSettled(): void;
}

export interface RunAllowance {
  /** Milliseconds; zero or less when nothing is left. */
  readonly timeoutMs: number;
  readonly boundBy: "cpu" | "wall";
}

export function createCallBudget(cpuTimeMs: number, wallTimeMs: number): CallBudget {
  const startedAt = performance.now();
  let usedMs = 0;
  let settledAt: number | undefined;
  return {
    cpuTimeMs,
    wallTimeMs,
    get usedMs() {
      return usedMs;
    },
    get settled() {
      return settledAt !== undefined;
    },
    get settledAt() {
      return settledAt;
    },
    nextRun() {
      const cpuLeft = cpuTimeMs - usedMs;
      if (settledAt !== undefined) return { timeoutMs: cpuLeft, boundBy: "cpu" };
      const wallLeft = wallTimeMs - (performance.now() - startedAt);
      return wallLeft < cpuLeft
        ? { timeoutMs: wallLeft, boundBy: "wall" }
        : { timeoutMs: cpuLeft, boundBy: "cpu" };
    },
    charge(ms) {
      usedMs += ms;
    },
    markSettled() {
      settledAt ??= performance.now();
    },
  };
}
