import type { Sandbox, SandboxHealth } from "@plugboard/runtime";

/** The counters the API shows for a plugin's code, summed over every sandbox it has had. */
export interface SandboxCounters {
  readonly calls: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly crashes: number;
  readonly memoryLimits: number;
  readonly loads: number;
  /** Restart attempts of the plugin's instances. */
  readonly restarts: number;
}

const ZERO: SandboxCounters = {
  calls: 0,
  errors: 0,
  timeouts: 0,
  crashes: 0,
  memoryLimits: 0,
  loads: 0,
  restarts: 0,
};

function add(total: SandboxCounters, health: SandboxHealth): SandboxCounters {
  return {
    calls: total.calls + health.calls,
    errors: total.errors + health.errors,
    timeouts: total.timeouts + health.timeouts,
    crashes: total.crashes + health.crashes,
    memoryLimits: total.memoryLimits + health.memoryLimits,
    loads: total.loads + health.loads,
    restarts: total.restarts,
  };
}

/**
 * Per-plugin counters that survive restarts and swaps: a sandbox's own counters start at 0,
 * and every restart or new version brings a new sandbox. Live sandboxes are read when asked;
 * a disposed one's final counters are added to its plugin's total.
 */
export interface SandboxTotals {
  /** Counts a sandbox from now on, until `retire`. */
  track(pluginId: string, sandbox: Sandbox): void;
  /** Adds a disposed sandbox's final counters to its plugin's total. */
  retire(pluginId: string, sandbox: Sandbox): void;
  /** Counts one restart attempt of one of the plugin's instances. */
  countRestart(pluginId: string): void;
  of(pluginId: string): SandboxCounters;
}

export function createSandboxTotals(): SandboxTotals {
  const done = new Map<string, SandboxCounters>();
  const live = new Map<string, Set<Sandbox>>();
  return {
    track(pluginId, sandbox) {
      let sandboxes = live.get(pluginId);
      if (sandboxes === undefined) {
        sandboxes = new Set();
        live.set(pluginId, sandboxes);
      }
      sandboxes.add(sandbox);
    },
    retire(pluginId, sandbox) {
      const sandboxes = live.get(pluginId);
      if (sandboxes?.delete(sandbox) !== true) return;
      done.set(pluginId, add(done.get(pluginId) ?? ZERO, sandbox.health()));
    },
    countRestart(pluginId) {
      const total = done.get(pluginId) ?? ZERO;
      done.set(pluginId, { ...total, restarts: total.restarts + 1 });
    },
    of(pluginId) {
      let total = done.get(pluginId) ?? ZERO;
      for (const sandbox of live.get(pluginId) ?? []) total = add(total, sandbox.health());
      return total;
    },
  };
}
