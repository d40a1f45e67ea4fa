import type { SandboxErrorCode } from "../sandbox/sandbox-errors.js";
import type { LifecycleErrorCode } from "./lifecycle-errors.js";

/** The states of a plugin instance, in the order a healthy instance passes through them. */
export const INSTANCE_STATES = [
  "validated",
  "loading",
  "starting",
  "running",
  "unhealthy",
  "restarting",
  "stopping",
  "stopped",
  "failed",
] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

/**
 * Every transition an instance may make, by the state it leaves. `loading` and `starting`
 * lead to `failed` on the first start and back to `restarting` during a restart; any live
 * state can be stopped. A new instance enters `validated` or (when validation fails)
 * `failed`, reported with `from: null`.
 */
export const INSTANCE_TRANSITIONS = {
  validated: ["loading", "stopping"],
  loading: ["starting", "failed", "restarting", "stopping"],
  starting: ["running", "failed", "restarting", "stopping"],
  running: ["unhealthy", "stopping"],
  unhealthy: ["restarting", "stopping"],
  restarting: ["loading", "stopping"],
  stopping: ["stopped"],
  stopped: [],
  failed: ["stopped"],
} as const satisfies { readonly [S in InstanceState]: readonly InstanceState[] };

/** Whether `to` may follow `from` (`null`: the instance was just created). */
export function canTransition(from: InstanceState | null, to: InstanceState): boolean {
  if (from === null) return to === "validated" || to === "failed";
  const next: readonly InstanceState[] = INSTANCE_TRANSITIONS[from];
  return next.includes(to);
}

/** A failure as plain data, for events, health reports and the host's API. */
export interface InstanceFailure {
  readonly code: SandboxErrorCode | LifecycleErrorCode;
  readonly message: string;
  /** ISO 8601. */
  readonly at: string;
}

/** One transition of one instance, as the host's `onTransition` receives it. */
export interface TransitionEvent {
  readonly pluginId: string;
  readonly version: string;
  readonly key: string;
  /** `null` for the event that reports a new instance. */
  readonly from: InstanceState | null;
  readonly to: InstanceState;
  /** ISO 8601. */
  readonly at: string;
  readonly reason?: string;
  readonly error?: InstanceFailure;
  /** For `restarting`: how long the instance waits before it loads again. */
  readonly delayMs?: number;
  /** For `restarting`: which consecutive restart this is, from 1. */
  readonly attempt?: number;
}
