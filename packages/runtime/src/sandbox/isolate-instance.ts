import type { JsonValue, PluginContext } from "@plugboard/plugin-sdk";
import ivm from "isolated-vm";
import { createCallBudget } from "./call-budget.js";
import { requiredHandlers } from "./handler-shapes.js";
import { bootstrapSettings, ISOLATE_BOOTSTRAP } from "./isolate-bootstrap.js";
import {
  type BootstrapFunctions,
  createIsolateCalls,
  type InstanceCallOptions,
} from "./isolate-calls.js";
import { readReply } from "./isolate-reply.js";
import { createIsolateRunner, type IsolateFunction } from "./isolate-runner.js";
import { loadPluginModule } from "./plugin-module.js";
import { SandboxError } from "./sandbox-errors.js";
import type { SandboxLimits } from "./sandbox-limits.js";

export type { InstanceCallOptions } from "./isolate-calls.js";

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

/**
 * Creates (but does not load) one isolate for a plugin. Every run of plugin code starts from
 * the host, with what is left of its call's CPU budget and wall-clock limit as its timeout;
 * context calls leave the isolate as messages and come back as runs, so continuations are
 * bounded too. When a limit, the memory limit, a runaway the isolate reports or a crash stops
 * a run, the isolate is disposed, every call in flight fails and the outbound requests its
 * calls started are cancelled.
 */
export function createIsolateInstance(options: IsolateInstanceOptions): IsolateInstance {
  const { manifest, limits } = options;
  const pluginId = manifest.id;
  const cancel = new AbortController();
  let stopReason: SandboxError | undefined;

  const isolate = new ivm.Isolate({
    memoryLimit: limits.memoryLimitMb,
    onCatastrophicError: (message) => {
      stop(new SandboxError("crashed", pluginId, `the isolate failed beyond recovery: ${message}`));
      options.onCatastrophicError?.(message);
    },
  });
  const runOptions = {
    isolate,
    pluginId,
    memoryLimitMb: limits.memoryLimitMb,
    stopReason: () => stopReason,
  };
  const runner = createIsolateRunner({ ...runOptions, inline: options.inline });
  const calls = createIsolateCalls({
    pluginId,
    limits,
    runner,
    context: options.context,
    signal: cancel.signal,
    stopReason: () => stopReason,
    stop,
    onEventDelivered: options.onEventDelivered,
    onDropped: options.onDropped,
    onContextError: options.onContextError,
  });
  const send = new ivm.Callback(calls.onMessage, { ignored: true });

  function stop(error: SandboxError, culprit?: number): void {
    if (stopReason !== undefined) return;
    stopReason = error;
    try {
      if (!isolate.isDisposed) isolate.dispose();
    } catch {
      // Already gone.
    }
    cancel.abort(error);
    calls.failAll(error, culprit);
    void calls.close();
    options.onStop(error);
  }

  function loadFailed(message: string): SandboxError {
    return new SandboxError("load_failed", pluginId, message);
  }

  /** A failure of isolated-vm outside any run of plugin code. */
  function asFailure(error: unknown): SandboxError {
    if (stopReason !== undefined) return stopReason;
    if (error instanceof SandboxError) return error;
    if (isolate.isDisposed) {
      return new SandboxError(
        "memory_limit",
        pluginId,
        `the plugin used more than its ${limits.memoryLimitMb} MB memory limit`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new SandboxError("crashed", pluginId, `the plugin's isolate stopped: ${message}`, {
      cause: error,
    });
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
    const budget = createCallBudget(limits.cpuTimeMs, limits.loadTimeMs);
    const reply = readReply(
      await runner.run(functions.prepare, [exported.derefInto(), descriptor], budget),
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
    const inventory = await calls.call("#setup", "", [], {
      timeoutMs: limits.loadTimeMs,
      signal: undefined,
      readOnly: false,
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
        await context.evalClosure(ISOLATE_BOOTSTRAP, [send, bootstrapSettings(limits)], {
          result: { reference: true },
          timeout: limits.cpuTimeMs,
          filename: "plugboard:sandbox",
        });
      const get = (name: string): IsolateFunction => exports.getSync(name, { reference: true });
      const functions: BootstrapFunctions = {
        prepare: get("prepare"),
        invoke: get("invoke"),
        collect: get("collect"),
        settle: get("settle"),
      };
      exports.release();
      const exported = await loadPluginModule(context, {
        ...runOptions,
        source: options.source,
        filename: options.filename,
        timeoutMs: Math.min(limits.cpuTimeMs, limits.loadTimeMs),
      });
      await prepare(exported, functions);
      calls.bind(functions);
      await setup();
    } catch (error) {
      const failure = asFailure(error);
      stop(failure);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    load,
    call: (name, key, args, callOptions) => calls.call(name, key, args, callOptions),
    stop,
    get stopped() {
      return stopReason !== undefined;
    },
  };
}
