import type { JsonValue } from "@plugboard/plugin-sdk";
import type { SandboxErrorCode } from "./sandbox-errors.js";
import type { SandboxDispatchMode } from "./sandbox-limits.js";

/**
 * A handler of the plugin: the name of one `setup` returned (`"run"`, `"execute"`), or a
 * handler group and the entry in it (`["conditions", "crm.is_vip"]` for a rule operator).
 */
export type HandlerRef = string | readonly [group: string, entry: string];

export interface SandboxCallOptions {
  /** This call's wall-clock limit; the lower of this and the policy's `wallTimeMs` applies. */
  readonly timeoutMs?: number;
  /** Stops the call; the isolate goes with it, since work the call started may be running. */
  readonly signal?: AbortSignal;
  /**
   * Whether to check the result against the shape the SDK declares for this handler
   * (`HANDLER_RESULT_SCHEMAS`; for a hook's `run`, `HookResultSchema`). Default true; a caller
   * that checks the result itself, such as the hook pipeline, passes false. Results are JSON
   * and size-capped either way.
   */
  readonly checkResult?: boolean;
  /**
   * Refuses, with `permission_denied`, the context calls of this call that would change
   * something: `storage.set`/`delete`, `data.put`, `events.publish`/`subscribe`/`unsubscribe`,
   * and `http.request` with a method other than GET. Reads and log lines go through.
   * Probes are called this way.
   */
  readonly readOnly?: boolean;
}

export const SANDBOX_STATES = ["idle", "loading", "ready", "disposed"] as const;
/**
 * `idle`: no isolate (not loaded yet, or stopped after a runaway; the next call loads one).
 * `loading`, `ready`: an isolate exists. `disposed`: the host disposed the sandbox.
 */
export type SandboxState = (typeof SANDBOX_STATES)[number];

export interface SandboxFailure {
  readonly code: SandboxErrorCode;
  readonly message: string;
  /** ISO 8601. */
  readonly at: string;
}

/** What a sandbox reports about its plugin; counters only grow. */
export interface SandboxHealth {
  readonly pluginId: string;
  readonly state: SandboxState;
  /** False after a runaway, a crash or a failed load, until a call succeeds again. */
  readonly healthy: boolean;
  readonly dispatch: SandboxDispatchMode;
  /** Handler calls and event deliveries. */
  readonly calls: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly memoryLimits: number;
  readonly crashes: number;
  /** Isolates created; more than one means the plugin was reloaded after a stop. */
  readonly loads: number;
  /** Context calls dropped: made after their call's `backgroundGraceMs` or CPU budget ran out. */
  readonly droppedContextCalls: number;
  readonly lastError: SandboxFailure | null;
}

/**
 * One plugin's code, run where the host cannot be reached except through the plugin's
 * context. Implemented by `createIsolateSandbox`; a host may add others (an out-of-process
 * runtime) behind the same interface.
 */
export interface Sandbox {
  readonly pluginId: string;
  /** Loads the plugin now (a call loads it on first use). Rejects with a `SandboxError`. */
  load(): Promise<void>;
  /**
   * Calls a handler and resolves to its JSON result (`undefined` when it returned nothing).
   * The arguments cross as JSON copies (a value JSON cannot carry, or arguments longer than
   * `maxJsonLength` as JSON, fail as `bad_argument`).
   * Rejects with a `SandboxError`.
   */
  call(
    handler: HandlerRef,
    args?: readonly unknown[],
    options?: SandboxCallOptions,
  ): Promise<JsonValue | undefined>;
  health(): SandboxHealth;
  /** Stops the isolate and refuses further calls; in-flight calls reject with `disposed`. */
  dispose(): void;
}
