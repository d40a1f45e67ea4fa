import type { JsonValue, PluginContext, PluginEvent } from "@plugboard/plugin-sdk";
import { type CallBudget, createCallBudget } from "./call-budget.js";
import { createContextBridge } from "./context-bridge.js";
import { type IsolateReply, readReply } from "./isolate-reply.js";
import type { IsolateFunction, IsolateRunner } from "./isolate-runner.js";
import { SandboxError, type SandboxErrorCode } from "./sandbox-errors.js";
import type { SandboxLimits } from "./sandbox-limits.js";

/** The bootstrap's functions, held by the host only. */
export interface BootstrapFunctions {
  readonly prepare: IsolateFunction;
  readonly invoke: IsolateFunction;
  readonly collect: IsolateFunction;
  readonly settle: IsolateFunction;
}

export interface InstanceCallOptions {
  /** The call's wall-clock limit. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** Whether the call's context calls may only read (see `SandboxCallOptions.readOnly`). */
  readonly readOnly: boolean;
}

export interface IsolateCallsOptions {
  readonly pluginId: string;
  readonly limits: SandboxLimits;
  readonly runner: IsolateRunner;
  readonly context: PluginContext;
  /** Aborted when the isolate stops; cancels what its context calls started. */
  readonly signal: AbortSignal;
  readonly stopReason: () => SandboxError | undefined;
  /** Stops the isolate; `culprit` is the call that caused it, if one did. */
  readonly stop: (error: SandboxError, culprit?: number) => void;
  readonly onEventDelivered: (error: SandboxError | undefined) => void;
  readonly onDropped: () => void;
  readonly onContextError: ((error: unknown, method: string) => void) | undefined;
}

/** The calls into one isolate, and the messages out of it. */
export interface IsolateCalls {
  /** Makes calls possible, once the bootstrap is loaded. */
  bind(functions: BootstrapFunctions): void;
  call(
    name: string,
    key: string,
    args: readonly unknown[],
    options: InstanceCallOptions,
  ): Promise<JsonValue | undefined>;
  /** The isolate's `send`. */
  onMessage(kind: unknown, first: unknown, second: unknown, third: unknown, fourth: unknown): void;
  /** Rejects every call in flight: `culprit` with `error`, the others as collateral crashes. */
  failAll(error: SandboxError, culprit: number | undefined): void;
  /** Ends the isolate's subscriptions. */
  close(): Promise<void>;
}

interface PendingCall {
  readonly resolve: (value: JsonValue | undefined) => void;
  readonly reject: (error: SandboxError) => void;
}

const PENDING = "pending";

/** Failures the isolate reports after which it is not used again: runaways, or a broken bootstrap. */
const STOPPING_REPLIES: ReadonlySet<SandboxErrorCode> = new Set([
  "stack_overflow",
  "return_too_large",
  "crashed",
]);

/** Marks an error that reached a call only because another run stopped the isolate. */
const collateral = new WeakSet<SandboxError>();

export function isCollateral(error: SandboxError): boolean {
  return collateral.has(error);
}

function wallClockTimeout(pluginId: string, timeoutMs: number): SandboxError {
  return new SandboxError(
    "timeout",
    pluginId,
    `the call did not settle within its wall-clock limit of ${timeoutMs} ms`,
  );
}

/**
 * Calls into one isolate. Each call has a budget (`cpuTimeMs` of isolate CPU over all its
 * runs, and its wall-clock limit); every run that belongs to it, its continuations after
 * context calls included, is charged to it. A context call is answered while the call that
 * made it is in flight, and for `backgroundGraceMs` after it settled, within what is left of
 * its CPU budget; later ones are dropped and never answered.
 */
export function createIsolateCalls(options: IsolateCallsOptions): IsolateCalls {
  const { pluginId, limits, runner } = options;
  const pending = new Map<number, PendingCall>();
  const budgets = new Map<number, CallBudget>();
  // Settled calls in the order they settled, kept for their grace period: a queue read from
  // `settledHead` (a Map used as a queue slows down as deleted entries pile up at its front).
  const settled: Array<{ readonly callId: number; readonly at: number }> = [];
  let settledHead = 0;
  const readOnlyCalls = new Set<number>();
  let nextCallId = 1;
  let functions: BootstrapFunctions | undefined;

  const bridge = createContextBridge({
    pluginId,
    context: options.context,
    maxJsonLength: limits.maxJsonLength,
    maxPendingContextCalls: limits.maxPendingContextCalls,
    deliver: (subscriptionId, event) => deliverEvent(subscriptionId, event),
    accepting: (owner) => {
      const at = budgets.get(owner)?.settledAt;
      return (
        budgets.has(owner) &&
        (at === undefined || performance.now() - at <= limits.backgroundGraceMs)
      );
    },
    readOnly: (owner) => readOnlyCalls.has(owner),
    signal: options.signal,
    onDropped: options.onDropped,
    onContextError: options.onContextError,
  });

  function prune(): void {
    const now = performance.now();
    while (settledHead < settled.length) {
      const oldest = settled[settledHead];
      if (oldest === undefined || now - oldest.at <= limits.backgroundGraceMs) break;
      settledHead += 1;
      budgets.delete(oldest.callId);
      readOnlyCalls.delete(oldest.callId);
    }
    if (settledHead > 1024 && settledHead * 2 > settled.length) {
      settled.splice(0, settledHead);
      settledHead = 0;
    }
  }

  function markSettled(callId: number): void {
    const budget = budgets.get(callId);
    if (budget === undefined || budget.settled) return;
    budget.markSettled();
    settled.push({ callId, at: performance.now() });
  }

  function asFailure(error: unknown): SandboxError {
    if (error instanceof SandboxError) return error;
    return new SandboxError("crashed", pluginId, "the sandbox failed unexpectedly", {
      cause: error,
    });
  }

  /** Reads a call's reply; a runaway reported in it stops the isolate. */
  function readCallReply(callId: number, replyText: unknown): IsolateReply {
    markSettled(callId);
    return readReply(replyText, limits.maxJsonLength, pluginId);
  }

  function complete(callId: number, replyText: unknown): void {
    const call = pending.get(callId);
    if (call === undefined) return;
    pending.delete(callId);
    const reply = readCallReply(callId, replyText);
    if (reply.ok) {
      call.resolve(reply.value);
      return;
    }
    call.reject(reply.error);
    if (STOPPING_REPLIES.has(reply.error.code)) options.stop(reply.error, callId);
  }

  /** Registers a call in flight, bounded by its wall-clock limit and the caller's signal. */
  function awaitSettled(
    callId: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<JsonValue | undefined> {
    return new Promise<JsonValue | undefined>((resolve, reject) => {
      const timer = setTimeout(
        () => options.stop(wallClockTimeout(pluginId, timeoutMs), callId),
        timeoutMs,
      );
      const onAbort = () =>
        options.stop(
          new SandboxError("aborted", pluginId, "the caller cancelled the call"),
          callId,
        );
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        markSettled(callId);
      };
      pending.set(callId, {
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
    });
  }

  function call(
    name: string,
    key: string,
    args: readonly unknown[],
    callOptions: InstanceCallOptions,
  ): Promise<JsonValue | undefined> {
    const stopped = options.stopReason();
    if (stopped !== undefined) return Promise.reject(stopped);
    const bound = functions;
    if (bound === undefined) {
      return Promise.reject(new SandboxError("load_failed", pluginId, "the plugin is not loaded"));
    }
    let argsText: string;
    try {
      argsText = JSON.stringify(args);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return Promise.reject(
        new SandboxError("bad_argument", pluginId, `the arguments are not JSON: ${why}`),
      );
    }
    if (argsText.length > limits.maxJsonLength) {
      return Promise.reject(
        new SandboxError(
          "bad_argument",
          pluginId,
          `the arguments are ${argsText.length} characters of JSON; the limit is ${limits.maxJsonLength}`,
        ),
      );
    }
    const { signal, timeoutMs } = callOptions;
    if (signal?.aborted === true) {
      return Promise.reject(new SandboxError("aborted", pluginId, "the caller cancelled the call"));
    }
    prune();
    const callId = nextCallId++;
    const budget = createCallBudget(limits.cpuTimeMs, timeoutMs);
    budgets.set(callId, budget);
    if (callOptions.readOnly) readOnlyCalls.add(callId);
    // Inline, when the isolate is idle: the synchronous part (and its microtasks) runs right
    // here, and a handler that settles within it needs no timer.
    let now: { value: unknown } | undefined;
    try {
      now = runner.runNow(bound.invoke, [callId, name, key, argsText, false], budget);
      if (now?.value === PENDING) now = runner.runNow(bound.collect, [callId], budget);
    } catch (error) {
      const failure = asFailure(error);
      markSettled(callId);
      options.stop(failure, callId);
      return Promise.reject(failure);
    }
    if (now !== undefined && now.value !== PENDING) {
      const reply = readCallReply(callId, now.value);
      if (reply.ok) return Promise.resolve(reply.value);
      if (STOPPING_REPLIES.has(reply.error.code)) options.stop(reply.error, callId);
      return Promise.reject(reply.error);
    }
    const settled = awaitSettled(callId, timeoutMs, signal);
    if (now === undefined) {
      runner
        .run(bound.invoke, [callId, name, key, argsText, true], budget)
        .then((first) => {
          if (first !== PENDING) complete(callId, first);
        })
        .catch((error: unknown) => options.stop(asFailure(error), callId));
    }
    return settled;
  }

  /** Answers a context call in a run charged to the call that made it. */
  function answer(requestId: number, reply: string | undefined, owner: number): void {
    if (reply === undefined || options.stopReason() !== undefined || functions === undefined) {
      return;
    }
    const budget = budgets.get(owner);
    // Work left running after its call settled stops when that call's budget is spent.
    if (budget === undefined || (budget.settled && budget.nextRun().timeoutMs <= 0)) {
      options.onDropped();
      return;
    }
    try {
      if (runner.runNow(functions.settle, [requestId, reply], budget) !== undefined) return;
    } catch (error) {
      options.stop(asFailure(error), owner);
      return;
    }
    runner
      .run(functions.settle, [requestId, reply], budget)
      .catch((error: unknown) => options.stop(asFailure(error), owner));
  }

  function onMessage(
    kind: unknown,
    first: unknown,
    second: unknown,
    third: unknown,
    fourth: unknown,
  ): void {
    if (options.stopReason() !== undefined) return;
    if (kind === "settled" && typeof first === "number") {
      complete(first, second);
      return;
    }
    if (kind === "request" && typeof first === "number" && typeof second === "string") {
      const owner = typeof fourth === "number" ? fourth : 0;
      const argsText = typeof third === "string" ? third : "";
      void bridge.request(second, argsText, owner).then((reply) => answer(first, reply, owner));
      return;
    }
    if (kind === "log" && typeof first === "string" && typeof second === "string") {
      bridge.log(first, second);
    }
  }

  function deliverEvent(subscriptionId: string, event: PluginEvent): Promise<void> {
    const data: JsonValue = {
      id: event.id,
      subject: event.subject,
      time: event.time,
      source: event.source,
      data: event.data,
    };
    return call("#event", subscriptionId, [data], {
      timeoutMs: limits.wallTimeMs,
      signal: undefined,
      readOnly: false,
    }).then(
      () => options.onEventDelivered(undefined),
      (error: unknown) => options.onEventDelivered(asFailure(error)),
    );
  }

  function failAll(error: SandboxError, culprit: number | undefined): void {
    for (const [callId, inFlight] of pending) {
      if (culprit === undefined || callId === culprit) {
        inFlight.reject(error);
        continue;
      }
      const other = new SandboxError(
        "crashed",
        pluginId,
        `the isolate was stopped while this call was in flight (${error.message})`,
        { cause: error },
      );
      collateral.add(other);
      inFlight.reject(other);
    }
    pending.clear();
  }

  return {
    bind(bootstrap) {
      functions = bootstrap;
    },
    call,
    onMessage,
    failAll,
    close: () => bridge.close(),
  };
}
