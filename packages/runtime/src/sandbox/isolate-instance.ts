import type { JsonValue, PluginContext, PluginEvent } from "@plugboard/plugin-sdk";
import ivm from "isolated-vm";
import { createContextBridge } from "./context-bridge.js";
import { requiredHandlers } from "./handler-shapes.js";
import { ISOLATE_BOOTSTRAP } from "./isolate-bootstrap.js";
import { readReply } from "./isolate-reply.js";
import { loadPluginModule } from "./plugin-module.js";
import { SandboxError } from "./sandbox-errors.js";
import type { SandboxLimits } from "./sandbox-limits.js";

/** The manifest fields the sandbox needs (a validated manifest of any kind fits). */
export interface SandboxManifest {
  readonly id: string;
  readonly version: string;
  readonly kind: string;
  readonly secretKeys?: readonly string[] | undefined;
}

export interface IsolateInstanceOptions {
  readonly manifest: SandboxManifest;
  readonly source: string;
  readonly filename: string;
  readonly context: PluginContext;
  readonly limits: SandboxLimits;
  /** Run each entry into the isolate on the calling thread when the isolate is idle. */
  readonly inline: boolean;
  /** Called once, when the instance stops for any reason, with the reason. */
  readonly onStop: (error: SandboxError) => void;
  /** Called after each event delivery, with the failure if it failed. */
  readonly onEventDelivered: (error: SandboxError | undefined) => void;
  readonly onDropped: () => void;
  readonly onContextError: ((error: unknown, method: string) => void) | undefined;
  readonly onCatastrophicError: ((message: string) => void) | undefined;
}

export interface InstanceCallOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

/** One isolate with the plugin loaded in it; after it stops it is never used again. */
export interface IsolateInstance {
  load(): Promise<void>;
  call(
    name: string,
    key: string,
    args: readonly unknown[],
    options: InstanceCallOptions,
  ): Promise<JsonValue | undefined>;
  stop(error: SandboxError): void;
  readonly stopped: boolean;
}

/** A function in the isolate, held by the host only. */
type IsolateFunction = ivm.Reference<(...args: ivm.Transferable[]) => unknown>;

interface BootstrapFunctions {
  readonly prepare: IsolateFunction;
  readonly invoke: IsolateFunction;
  readonly collect: IsolateFunction;
  readonly settle: IsolateFunction;
}

interface PendingCall {
  readonly resolve: (value: JsonValue | undefined) => void;
  readonly reject: (error: SandboxError) => void;
}

const PENDING = "pending";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Marks an error that reached a call only because another run stopped the isolate. */
const collateral = new WeakSet<SandboxError>();

export function isCollateral(error: SandboxError): boolean {
  return collateral.has(error);
}

/**
 * Creates (but does not load) one isolate for a plugin. Every run of plugin code starts from
 * the host with the CPU limit (`timeout`); context calls leave the isolate as messages and
 * come back as runs, so continuations are bounded too. Each call has a wall-clock timer; when
 * it fires, or the CPU limit, the memory limit or a crash stops a run, the isolate is
 * disposed and every call in flight fails.
 */
export function createIsolateInstance(options: IsolateInstanceOptions): IsolateInstance {
  const { manifest, limits } = options;
  const pluginId = manifest.id;
  const pending = new Map<number, PendingCall>();
  let nextCallId = 1;
  let threadRuns = 0;
  let stopReason: SandboxError | undefined;
  let lastSettledAt = performance.now();
  let bootstrap: BootstrapFunctions | undefined;

  const isolate = new ivm.Isolate({
    memoryLimit: limits.memoryLimitMb,
    onCatastrophicError: (message) => {
      stop(new SandboxError("crashed", pluginId, `the isolate failed beyond recovery: ${message}`));
      options.onCatastrophicError?.(message);
    },
  });

  const bridge = createContextBridge({
    pluginId,
    context: options.context,
    maxJsonLength: limits.maxJsonLength,
    maxPendingContextCalls: limits.maxPendingContextCalls,
    deliver: (subscriptionId, event) => deliverEvent(subscriptionId, event),
    accepting: () =>
      pending.size > 0 || performance.now() - lastSettledAt <= limits.backgroundGraceMs,
    onDropped: options.onDropped,
    onContextError: options.onContextError,
  });

  function stop(error: SandboxError, culprit?: number): void {
    if (stopReason !== undefined) return;
    stopReason = error;
    try {
      if (!isolate.isDisposed) isolate.dispose();
    } catch {
      // Already gone.
    }
    for (const [callId, call] of pending) {
      if (culprit === undefined || callId === culprit) {
        call.reject(error);
        continue;
      }
      const other = new SandboxError(
        "crashed",
        pluginId,
        `the isolate was stopped while this call was in flight (${error.message})`,
        { cause: error },
      );
      collateral.add(other);
      call.reject(other);
    }
    pending.clear();
    void bridge.close();
    options.onStop(error);
  }

  /** What an error out of isolated-vm means for this plugin. */
  function classify(error: unknown): SandboxError {
    if (stopReason !== undefined) return stopReason;
    if (error instanceof SandboxError) return error;
    const message = messageOf(error);
    if (message.includes("timed out")) {
      return new SandboxError(
        "timeout",
        pluginId,
        `the plugin's code ran for more than ${limits.cpuTimeMs} ms without yielding`,
      );
    }
    if (message.includes("memory limit")) {
      return new SandboxError(
        "memory_limit",
        pluginId,
        `the plugin used more than its ${limits.memoryLimitMb} MB memory limit`,
      );
    }
    return new SandboxError("crashed", pluginId, `the plugin's isolate stopped: ${message}`, {
      cause: error,
    });
  }

  /** Runs a bootstrap function in the isolate under the CPU limit. */
  function enter(fn: IsolateFunction, args: ivm.Transferable[]): Promise<unknown> {
    if (stopReason !== undefined) return Promise.reject(stopReason);
    if (options.inline && threadRuns === 0) {
      try {
        return Promise.resolve(fn.applySync(undefined, args, { timeout: limits.cpuTimeMs }));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    threadRuns += 1;
    return fn.apply(undefined, args, { timeout: limits.cpuTimeMs }).finally(() => {
      threadRuns -= 1;
    });
  }

  function complete(callId: number, replyText: unknown): void {
    const call = pending.get(callId);
    if (call === undefined) return;
    pending.delete(callId);
    lastSettledAt = performance.now();
    const reply = readReply(replyText, limits.maxJsonLength, pluginId);
    if (reply.ok) call.resolve(reply.value);
    else call.reject(reply.error);
  }

  function onMessage(kind: unknown, first: unknown, second: unknown, third: unknown): void {
    if (stopReason !== undefined) return;
    if (kind === "settled" && typeof first === "number") {
      complete(first, second);
      return;
    }
    if (kind === "request" && typeof first === "number" && typeof second === "string") {
      const argsText = typeof third === "string" ? third : "";
      void bridge.request(second, argsText).then((reply) => {
        if (reply === undefined || stopReason !== undefined || bootstrap === undefined) return;
        enter(bootstrap.settle, [first, reply]).catch((error: unknown) => stop(classify(error)));
      });
      return;
    }
    if (kind === "log" && typeof first === "string" && typeof second === "string") {
      bridge.log(first, second);
    }
  }

  const send = new ivm.Callback(onMessage, { ignored: true });

  function call(
    name: string,
    key: string,
    args: readonly unknown[],
    callOptions: InstanceCallOptions,
  ): Promise<JsonValue | undefined> {
    if (stopReason !== undefined) return Promise.reject(stopReason);
    const functions = bootstrap;
    if (functions === undefined) {
      return Promise.reject(new SandboxError("load_failed", pluginId, "the plugin is not loaded"));
    }
    let argsText: string;
    try {
      argsText = JSON.stringify(args);
    } catch (error) {
      return Promise.reject(
        new SandboxError(
          "bad_argument",
          pluginId,
          `the arguments are not JSON: ${messageOf(error)}`,
        ),
      );
    }
    const callId = nextCallId++;
    const { signal, timeoutMs } = callOptions;
    if (signal?.aborted === true) {
      return Promise.reject(new SandboxError("aborted", pluginId, "the caller cancelled the call"));
    }
    if (options.inline && threadRuns === 0) {
      // The fast path: the synchronous part (and its microtasks) runs right here under the
      // CPU limit, and a handler that settles within it needs no timer and no promise chain.
      let reply: unknown;
      try {
        reply = functions.invoke.applySync(undefined, [callId, name, key, argsText, false], {
          timeout: limits.cpuTimeMs,
        });
        if (reply === PENDING) {
          reply = functions.collect.applySync(undefined, [callId], { timeout: limits.cpuTimeMs });
        }
      } catch (error) {
        const failure = classify(error);
        stop(failure, callId);
        return Promise.reject(failure);
      }
      if (reply !== PENDING) {
        lastSettledAt = performance.now();
        const read = readReply(reply, limits.maxJsonLength, pluginId);
        return read.ok ? Promise.resolve(read.value) : Promise.reject(read.error);
      }
      return awaitSettled(callId, timeoutMs, signal);
    }
    const settled = awaitSettled(callId, timeoutMs, signal);
    const notify = !options.inline;
    enter(functions.invoke, [callId, name, key, argsText, notify])
      .then((first) => {
        if (first !== PENDING) return complete(callId, first);
        if (notify) return;
        return enter(functions.collect, [callId]).then((second) => {
          if (second !== PENDING) complete(callId, second);
        });
      })
      .catch((error: unknown) => stop(classify(error), callId));
    return settled;
  }

  /** Registers a call in flight, bounded by its wall-clock limit and the caller's signal. */
  function awaitSettled(
    callId: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<JsonValue | undefined> {
    return new Promise<JsonValue | undefined>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop(
          new SandboxError(
            "timeout",
            pluginId,
            `the call did not settle within its wall-clock limit of ${timeoutMs} ms`,
          ),
          callId,
        );
      }, timeoutMs);
      const onAbort = () =>
        stop(new SandboxError("aborted", pluginId, "the caller cancelled the call"), callId);
      signal?.addEventListener("abort", onAbort, { once: true });
      pending.set(callId, {
        resolve: (value) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      });
    });
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
    }).then(
      () => options.onEventDelivered(undefined),
      (error: unknown) => options.onEventDelivered(classify(error)),
    );
  }

  function loadFailed(message: string): SandboxError {
    return new SandboxError("load_failed", pluginId, message);
  }

  async function prepare(
    exported: ivm.Reference<unknown>,
    functions: BootstrapFunctions,
  ): Promise<void> {
    const descriptor = JSON.stringify({
      pluginId,
      version: manifest.version,
      config: options.context.config,
      secretKeys: manifest.secretKeys ?? [],
    });
    const reply = readReply(
      await enter(functions.prepare, [exported.derefInto(), descriptor]),
      limits.maxJsonLength,
      pluginId,
    );
    if (!reply.ok) throw reply.error;
    const value = reply.value;
    const manifestId =
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? value.manifestId
        : undefined;
    if (manifestId !== manifest.id) {
      throw loadFailed(
        typeof manifestId === "string"
          ? `the bundle's manifest is "${manifestId}", but the plugin is installed as "${manifest.id}"`
          : "the default export's manifest has no id",
      );
    }
  }

  async function setup(): Promise<void> {
    const inventory = await call("#setup", "", [], {
      timeoutMs: limits.loadTimeMs,
      signal: undefined,
    });
    const handlers = new Set<string>();
    if (typeof inventory === "object" && inventory !== null && !Array.isArray(inventory)) {
      const { handlers: names, groups } = inventory;
      if (Array.isArray(names))
        for (const name of names) if (typeof name === "string") handlers.add(name);
      if (typeof groups === "object" && groups !== null && !Array.isArray(groups)) {
        for (const name of Object.keys(groups)) handlers.add(name);
      }
    }
    const missing = requiredHandlers(manifest.kind).filter((name) => !handlers.has(name));
    if (missing.length > 0) {
      throw loadFailed(
        `setup returned no ${missing.map((name) => `"${name}"`).join(", ")} handler, which a ${manifest.kind} plugin must have`,
      );
    }
  }

  async function load(): Promise<void> {
    const timer = setTimeout(() => {
      stop(
        new SandboxError(
          "timeout",
          pluginId,
          `loading the plugin took longer than ${limits.loadTimeMs} ms`,
        ),
      );
    }, limits.loadTimeMs);
    try {
      const context = await isolate.createContext();
      const exports: ivm.Reference<Record<string, (...args: ivm.Transferable[]) => unknown>> =
        await context.evalClosure(
          ISOLATE_BOOTSTRAP,
          [send, limits.maxJsonLength, limits.maxPendingContextCalls, limits.maxLogLinesPerSecond],
          { result: { reference: true }, timeout: limits.cpuTimeMs, filename: "plugboard:sandbox" },
        );
      const get = (name: string): IsolateFunction => exports.getSync(name, { reference: true });
      const functions: BootstrapFunctions = {
        prepare: get("prepare"),
        invoke: get("invoke"),
        collect: get("collect"),
        settle: get("settle"),
      };
      exports.release();
      const exported = await loadPluginModule(isolate, context, {
        pluginId,
        source: options.source,
        filename: options.filename,
        cpuTimeMs: limits.cpuTimeMs,
      });
      await prepare(exported, functions);
      bootstrap = functions;
      await setup();
    } catch (error) {
      const failure = stopReason ?? classify(error);
      stop(failure);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    load,
    call,
    stop,
    get stopped() {
      return stopReason !== undefined;
    },
  };
}
