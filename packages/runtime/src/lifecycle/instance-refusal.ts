import type { InstanceFailure, InstanceState } from "./instance-states.js";
import { LifecycleError } from "./lifecycle-errors.js";

/** What an instance knows when it refuses a call. */
export interface RefusalFacts {
  readonly pluginId: string;
  readonly version: string;
  readonly state: InstanceState;
  /** Whether a restart (rather than the first start) is under way. */
  readonly restarting: boolean;
  readonly attempt: number;
  /** Milliseconds until the next restart attempt. */
  readonly waitMs: number;
  readonly lastError: InstanceFailure | null;
}

/**
 * The error a call gets, at once, from an instance that is not running: `stopped` once it is
 * stopping, `unavailable` otherwise, with a message that says what it is doing instead.
 */
export function refuseCall(facts: RefusalFacts): LifecycleError {
  const { pluginId, state } = facts;
  const name = `plugin "${pluginId}" ${facts.version}`;
  const unavailable = (message: string) => new LifecycleError("unavailable", pluginId, message);
  switch (state) {
    case "stopping":
    case "stopped":
      return new LifecycleError("stopped", pluginId, `${name} was stopped`);
    case "restarting":
      return unavailable(
        `${name} is restarting after a failure (restart ${facts.attempt}, next attempt in ${facts.waitMs} ms)`,
      );
    case "unhealthy":
      return unavailable(`${name} is unhealthy and restarting`);
    case "loading":
    case "starting":
      return unavailable(`${name} is ${facts.restarting ? "restarting" : "starting"} (${state})`);
    case "validated":
      return unavailable(`${name} has not been started`);
    case "failed":
      return unavailable(
        `${name} failed to start: ${facts.lastError?.message ?? "unknown reason"}`,
      );
    case "running":
      return unavailable(`${name} has no sandbox`);
    default: {
      const exhaustive: never = state;
      return exhaustive;
    }
  }
}
