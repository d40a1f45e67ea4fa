import type { HookManifest, HookRequest, HookResult } from "@plugboard/plugin-sdk";

/** Every way a hook call can fail; each applies the hook's `failMode`. */
export const HOOK_FAILURE_KINDS = ["throw", "rejection", "timeout", "bad_result", "crash"] as const;
export type HookFailureKind = (typeof HOOK_FAILURE_KINDS)[number];

/**
 * A hook as the pipeline runs it: its manifest and a way to call it. An in-process function
 * and a sandboxed plugin both fit. `invoke` may return a result or a promise of one; the
 * pipeline checks what comes back, so it is typed `unknown` here.
 *
 * `signal` aborts when the call runs past `manifest.timeoutMs`. It belongs to the call only
 * until the call settles: the pipeline may hand the same signal to a later call, so do not
 * keep it, or anything derived from it, after returning.
 */
export interface Hook {
  readonly manifest: HookManifest;
  invoke(request: HookRequest, signal: AbortSignal): unknown;
}

/** A hook whose `invoke` is typed against the SDK's `HookResult`, for in-process hooks. */
export interface TypedHook extends Hook {
  invoke(request: HookRequest, signal: AbortSignal): HookResult | Promise<HookResult>;
}

/**
 * Declares an in-process hook. Returns it unchanged; nothing runs until a pipeline calls it.
 *
 * @example
 * const stamp = defineHook({
 *   manifest,
 *   invoke: (request) => ({ action: "modify", headers: { ...request.headers, "x-seen": "1" } }),
 * });
 */
export function defineHook(hook: TypedHook): TypedHook {
  return hook;
}

/** The failures an invoker, rather than the hook's own code, may report. */
export type InvokerFailureKind = Exclude<HookFailureKind, "throw" | "rejection">;

/**
 * What an invoker throws or rejects with to report a failure it detected: a sandbox uses
 * `crash` for a dead or runaway isolate, `timeout` when it stopped a call at its limit, and
 * `bad_result` when the value could not cross the boundary as a result. Any other error
 * thrown or rejected is the hook's own (`throw` or `rejection`).
 */
export class HookInvocationError extends Error {
  readonly failure: InvokerFailureKind;

  constructor(failure: InvokerFailureKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HookInvocationError";
    this.failure = failure;
  }
}
