import { formatPath, type JsonValue, type PluginContext } from "@plugboard/plugin-sdk";
import { resultSchema } from "./handler-shapes.js";
import { isCollateral } from "./isolate-calls.js";
import {
  createIsolateInstance,
  type IsolateInstance,
  type SandboxManifest,
} from "./isolate-instance.js";
import type {
  HandlerRef,
  Sandbox,
  SandboxCallOptions,
  SandboxFailure,
  SandboxHealth,
  SandboxState,
} from "./sandbox.js";
import { marksUnhealthy, SandboxError } from "./sandbox-errors.js";
import {
  type SandboxDispatchMode,
  type SandboxLimitsInput,
  SandboxLimitsSchema,
} from "./sandbox-limits.js";

export interface IsolateSandboxOptions {
  /** The installed (validated) manifest: its id, version, kind and `secretKeys` are used. */
  readonly manifest: SandboxManifest;
  /**
   * The plugin's code: one ES module that default-exports `definePlugin({ manifest, setup })`,
   * with its dependencies bundled in. Its only allowed import is `@plugboard/plugin-sdk`,
   * which the sandbox provides with `definePlugin` alone.
   */
  readonly source: string;
  /** The module's name in plugin stack traces; `plugboard-plugin:<id>@<version>` by default. */
  readonly filename?: string;
  /** The plugin's context, such as `createPluginContext(...)`: all plugin code can reach. */
  readonly context: PluginContext;
  /** The host's policy; every limit has a default (64 MB, 50 ms of CPU and 5 s per call). */
  readonly limits?: SandboxLimitsInput;
  /** Told about failures of context calls inside the host, whose text plugin code never sees. */
  readonly onContextError?: (error: unknown, method: string) => void;
  /**
   * Told when V8 loses control of an isolate. isolated-vm's advice: log, stop serving, and end
   * the process. The sandbox has already marked the plugin crashed.
   */
  readonly onCatastrophicError?: (message: string) => void;
}

/** The stops of a runaway or a crash: counted, remembered, and dispatched off the event loop after. */
const RUNAWAY_STOPS = new Set([
  "timeout",
  "memory_limit",
  "stack_overflow",
  "return_too_large",
  "crashed",
]);

/**
 * Runs one plugin's bundled code in its own isolated-vm isolate, loaded on first use (or by
 * `load()`), with the plugin's context as its only way out. A runaway (a loop, sync or async,
 * memory growth, deep recursion, a result over the size cap) or a crash fails the call with a
 * `SandboxError`, marks the plugin unhealthy and disposes the isolate; the next call loads a
 * fresh one. The host's event loop keeps running throughout (see `dispatch` for the one
 * exception).
 *
 * @example
 * const sandbox = createIsolateSandbox({ manifest, source, context: createPluginContext(...) });
 * const result = await sandbox.call("run", [request], { timeoutMs: manifest.timeoutMs });
 */
export function createIsolateSandbox(options: IsolateSandboxOptions): Sandbox {
  const { manifest } = options;
  const pluginId = manifest.id;
  const limits = SandboxLimitsSchema.parse(options.limits ?? {});
  const filename = options.filename ?? `plugboard-plugin:${pluginId}@${manifest.version}`;
  let dispatch: SandboxDispatchMode = limits.dispatch;
  let state: SandboxState = "idle";
  let current: IsolateInstance | undefined;
  let loading: Promise<IsolateInstance> | undefined;
  let healthy = true;
  let lastError: SandboxFailure | null = null;
  const counters = {
    calls: 0,
    errors: 0,
    timeouts: 0,
    memoryLimits: 0,
    crashes: 0,
    loads: 0,
    droppedContextCalls: 0,
  };

  function remember(error: SandboxError): void {
    if (isCollateral(error)) return;
    lastError = { code: error.code, message: error.message, at: new Date().toISOString() };
    if (marksUnhealthy(error.code)) healthy = false;
  }

  function recordFailure(error: SandboxError): void {
    counters.errors += 1;
    remember(error);
  }

  function onStop(instance: IsolateInstance, error: SandboxError): void {
    if (current === instance) {
      current = undefined;
      if (state !== "disposed") state = "idle";
    }
    if (!RUNAWAY_STOPS.has(error.code)) return;
    if (error.code === "timeout") counters.timeouts += 1;
    if (error.code === "memory_limit") counters.memoryLimits += 1;
    if (error.code === "crashed") counters.crashes += 1;
    remember(error);
    // A plugin that ran away once is dispatched off the event loop from then on.
    dispatch = "thread";
  }

  function createInstance(): IsolateInstance {
    const instance: IsolateInstance = createIsolateInstance({
      manifest,
      source: options.source,
      filename,
      context: options.context,
      limits,
      inline: dispatch === "inline",
      onStop: (error) => onStop(instance, error),
      onEventDelivered: (error) => {
        counters.calls += 1;
        if (error === undefined) healthy = true;
        else recordFailure(error);
      },
      onDropped: () => {
        counters.droppedContextCalls += 1;
      },
      onContextError: options.onContextError,
      onCatastrophicError: options.onCatastrophicError,
    });
    return instance;
  }

  function loaded(): Promise<IsolateInstance> {
    if (state === "disposed") {
      return Promise.reject(new SandboxError("disposed", pluginId, "the sandbox was disposed"));
    }
    if (current !== undefined && state === "ready" && !current.stopped) {
      return Promise.resolve(current);
    }
    if (loading === undefined) {
      const instance = createInstance();
      current = instance;
      state = "loading";
      counters.loads += 1;
      loading = instance
        .load()
        .then(() => {
          if (current === instance && !instance.stopped) state = "ready";
          return instance;
        })
        .finally(() => {
          loading = undefined;
        });
    }
    return loading;
  }

  function checkResult(handler: string, value: JsonValue | undefined): JsonValue | undefined {
    const schema = resultSchema(manifest.kind, handler);
    if (schema === undefined) return value;
    const parsed = schema.safeParse(value);
    if (parsed.success) return value;
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => {
        const path = formatPath(issue.path);
        return path === "" ? issue.message : `${path}: ${issue.message}`;
      })
      .join("; ");
    throw new SandboxError(
      "bad_return",
      pluginId,
      `${handler} returned an invalid result (${problems})`,
    );
  }

  function asSandboxError(error: unknown): SandboxError {
    if (error instanceof SandboxError) return error;
    return new SandboxError("crashed", pluginId, "the sandbox failed unexpectedly", {
      cause: error,
    });
  }

  return {
    pluginId,

    async load() {
      try {
        await loaded();
      } catch (error) {
        const failure = asSandboxError(error);
        recordFailure(failure);
        throw failure;
      }
    },

    async call(
      handler: HandlerRef,
      args: readonly unknown[] = [],
      callOptions: SandboxCallOptions = {},
    ) {
      const [name, key] = typeof handler === "string" ? [handler, ""] : handler;
      counters.calls += 1;
      try {
        if (name.startsWith("#") || name === "") {
          throw new SandboxError("no_handler", pluginId, `"${name}" is not a handler name`);
        }
        const instance = await loaded();
        const timeoutMs = Math.min(callOptions.timeoutMs ?? limits.wallTimeMs, limits.wallTimeMs);
        const value = await instance.call(name, key, args, {
          timeoutMs,
          signal: callOptions.signal,
          readOnly: callOptions.readOnly === true,
        });
        const checked = callOptions.checkResult === false ? value : checkResult(name, value);
        healthy = true;
        return checked;
      } catch (error) {
        const failure = asSandboxError(error);
        recordFailure(failure);
        throw failure;
      }
    },

    health(): SandboxHealth {
      return { pluginId, state, healthy, dispatch, ...counters, lastError };
    },

    dispose() {
      state = "disposed";
      current?.stop(new SandboxError("disposed", pluginId, "the sandbox was disposed"));
      current = undefined;
    },
  };
}
