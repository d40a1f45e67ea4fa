import { getEventListeners } from "node:events";
import type { HookRequest } from "@plugboard/plugin-sdk";
import { type Hook, HookInvocationError, type InvokerFailureKind } from "./hook.js";
import { describeThrown, HookCallFailure } from "./hook-call-failure.js";

/** What a call needs to know about its hook. */
export interface CallTarget {
  readonly hook: Hook;
  readonly id: string;
  readonly timeoutMs: number;
}

/**
 * AbortControllers kept for reuse. Creating an AbortSignal costs about 2 µs on Node 20, more
 * than the whole budget of a ring of ten in-process hooks, and almost every call finishes
 * without its signal being touched. A controller comes back only from a call that settled
 * within one microtask of being made, unaborted and with no abort listener left on it.
 */
export interface SignalPool {
  take(): AbortController;
  give(controller: AbortController): void;
}

export function createSignalPool(limit = 64): SignalPool {
  const free: AbortController[] = [];
  return {
    take: () => free.pop() ?? new AbortController(),
    give(controller) {
      if (
        free.length < limit &&
        !controller.signal.aborted &&
        getEventListeners(controller.signal, "abort").length === 0
      ) {
        free.push(controller);
      }
    },
  };
}

const INVOKER_FAILURE: Readonly<Record<InvokerFailureKind, string>> = {
  crash: "crashed",
  timeout: "was stopped at its time limit",
  bad_result: "returned an invalid result",
};

function failureOf(error: unknown, ownKind: "throw" | "rejection"): HookCallFailure {
  if (error instanceof HookInvocationError) {
    return new HookCallFailure(
      error.failure,
      `${INVOKER_FAILURE[error.failure]}: ${error.message}`,
      error,
    );
  }
  const what = ownKind === "throw" ? "threw" : "rejected with";
  return new HookCallFailure(ownKind, `${what} ${describeThrown(error)}`, error);
}

const PENDING = Symbol("pending");

/**
 * A call whose hook returned a promise. It settles once: from the promise, or from the
 * timeout, which also aborts the call's signal. A late result or rejection is dropped.
 */
export class PendingCall {
  private outcome: unknown = PENDING;
  private wake: ((value: unknown) => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly target: CallTarget;
  private readonly controller: AbortController;
  private readonly pool: SignalPool;

  constructor(
    thenable: unknown,
    target: CallTarget,
    controller: AbortController,
    pool: SignalPool,
  ) {
    this.target = target;
    this.controller = controller;
    this.pool = pool;
    Promise.resolve(thenable).then(
      (value) => this.settle(value),
      (error: unknown) => this.settle(failureOf(error, "rejection")),
    );
  }

  private settle(value: unknown): void {
    if (this.outcome !== PENDING) return;
    this.outcome = value;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.wake?.(value);
  }

  /**
   * Whether the promise has settled. Ask one microtask after the call: by then a promise
   * that was already settled (an async hook with nothing to wait for) has reported, and
   * `result` needs no timer. A timer costs about 250 ns, a microtask far less.
   */
  get done(): boolean {
    return this.outcome !== PENDING;
  }

  /** What the hook's promise gave, or a `HookCallFailure`; only once `done`. */
  result(): unknown {
    this.pool.give(this.controller);
    return this.outcome;
  }

  /** The outcome once the promise settles or the timeout fires, whichever comes first. */
  wait(): Promise<unknown> {
    const { id, timeoutMs } = this.target;
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => {
        const message = `timed out after ${timeoutMs} ms`;
        const reason = new DOMException(`hook "${id}" ${message}`, "TimeoutError");
        this.settle(new HookCallFailure("timeout", message, reason));
        this.controller.abort(reason);
      }, timeoutMs);
    });
  }
}

/**
 * Calls one hook. Returns what it returned (unchecked), a `HookCallFailure`, or a
 * `PendingCall` when the hook returned a promise. Never throws.
 */
export function callHook(target: CallTarget, request: HookRequest, pool: SignalPool): unknown {
  const controller = pool.take();
  let value: unknown;
  try {
    value = target.hook.invoke(request, controller.signal);
  } catch (error) {
    pool.give(controller);
    return failureOf(error, "throw");
  }
  let then: unknown;
  try {
    then = typeof value === "object" && value !== null && "then" in value ? value.then : undefined;
  } catch (error) {
    pool.give(controller);
    return new HookCallFailure("bad_result", "returned a value whose `then` throws", error);
  }
  if (typeof then === "function") return new PendingCall(value, target, controller, pool);
  pool.give(controller);
  return value;
}
