import type {
  AnyKindDefinition,
  JsonValue,
  KindSet,
  ManifestIssue,
  PluginManifest,
} from "@plugboard/plugin-sdk";
import type { HandlerRef, Sandbox, SandboxCallOptions, SandboxHealth } from "../sandbox/sandbox.js";
import { SandboxError } from "../sandbox/sandbox-errors.js";
import { createBoundedLog } from "./bounded-log.js";
import { createInFlight } from "./in-flight.js";
import { refuseCall } from "./instance-refusal.js";
import {
  canTransition,
  type InstanceFailure,
  type InstanceState,
  type TransitionEvent,
} from "./instance-states.js";
import { LifecycleError } from "./lifecycle-errors.js";
import {
  type LifecycleSettingsInput,
  LifecycleSettingsSchema,
  parseSettings,
} from "./lifecycle-settings.js";
import { type PluginSpec, specIdentity, validatePluginSpec } from "./plugin-spec.js";
import { type ProbeRecord, probePlugin } from "./probe-plugin.js";
import { restartDelay } from "./restart-backoff.js";

export interface PluginInstanceOptions<M extends object> {
  readonly spec: PluginSpec<M>;
  /** Makes a fresh sandbox for the spec, with the context the host built for it. */
  readonly createSandbox: (spec: PluginSpec<M>) => Sandbox;
  readonly settings?: LifecycleSettingsInput;
  /** The kinds validation accepts; the built-in kinds when omitted. */
  readonly kinds?: KindSet<AnyKindDefinition>;
  /** Told about every transition; an error it throws is ignored. */
  readonly onTransition?: (event: TransitionEvent) => void;
  /** The clock for event times and backoff resets, in epoch milliseconds. */
  readonly now?: () => number;
}

/** What an instance reports about itself, for the host's health API. */
export interface InstanceHealth {
  readonly pluginId: string;
  readonly version: string;
  readonly key: string;
  readonly state: InstanceState;
  /** True while the instance is `running`. */
  readonly healthy: boolean;
  /** Calls made through the instance that have not settled. */
  readonly inFlight: number;
  /** Restart attempts made so far. */
  readonly restarts: number;
  /** The current sandbox's counters; `null` before a sandbox exists. */
  readonly sandbox: SandboxHealth | null;
  readonly lastProbe: ProbeRecord | null;
  readonly lastError: InstanceFailure | null;
  /** The newest transitions, oldest first. */
  readonly transitions: readonly TransitionEvent[];
}

/** One plugin spec brought to life: loaded, probed, watched, restarted and stopped. */
export interface PluginInstance<M extends object = PluginManifest> {
  readonly pluginId: string;
  readonly version: string;
  readonly key: string;
  readonly spec: PluginSpec<M>;
  readonly state: InstanceState;
  /** For an instance whose spec failed validation: each problem with its field path. */
  readonly issues: readonly ManifestIssue[];
  /** Loads and probes the plugin; resolves with `running`, or `failed` (never rejects). */
  start(): Promise<InstanceState>;
  /**
   * Calls a handler in the sandbox. Rejects at once with a `LifecycleError` (`unavailable`,
   * or `stopped`) unless the instance is running; otherwise as the sandbox does.
   */
  call(
    handler: HandlerRef,
    args?: readonly unknown[],
    options?: SandboxCallOptions,
  ): Promise<JsonValue | undefined>;
  health(): InstanceHealth;
  transitions(): readonly TransitionEvent[];
  /**
   * Stops the instance: refuses new calls, waits for calls in flight and then for the
   * plugin's `stop` handler (each up to `stopTimeoutMs`), and disposes the sandbox.
   */
  stop(reason?: string): Promise<void>;
}

type TransitionDetails = Pick<TransitionEvent, "reason" | "error" | "delayMs" | "attempt">;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates an instance for `spec` and validates it (`validated`, or `failed` with the issues).
 * `start()` loads it (`loading`), probes it (`starting`) and marks it `running`. While it
 * runs, a failure the sandbox counts as unhealthy (a runaway, a crash, a memory limit) or a
 * failed periodic probe makes it `unhealthy`; it then waits out an exponential backoff
 * (`restarting`), disposes the sandbox and loads a fresh one. Every transition is an event.
 *
 * @example
 * const instance = createPluginInstance({ spec, createSandbox: (s) => createIsolateSandbox(...) });
 * if ((await instance.start()) === "running") await instance.call("run", [request]);
 */
export function createPluginInstance<M extends object>(
  options: PluginInstanceOptions<M>,
): PluginInstance<M> {
  const settings = parseSettings(LifecycleSettingsSchema, options.settings, "settings.");
  const { spec, onTransition } = options;
  const clock = options.now ?? Date.now;
  const iso = () => new Date(clock()).toISOString();
  const validation = validatePluginSpec(spec, options.kinds === undefined ? {} : options);
  const { id: pluginId, version } = validation.ok ? validation.plugin : specIdentity(spec);
  const { key } = spec;
  const issues = validation.ok ? [] : validation.issues;
  const log = createBoundedLog<TransitionEvent>(settings.historyLimit);

  let state: InstanceState = validation.ok ? "validated" : "failed";
  let sandbox: Sandbox | undefined;
  let lastProbe: ProbeRecord | null = null;
  let lastError: InstanceFailure | null = validation.ok
    ? null
    : {
        code: "invalid_plugin",
        message: `the plugin cannot be run: ${issues.map((issue) => `${issue.path || "(root)"}: ${issue.message}`).join("; ")}`,
        at: iso(),
      };
  let hasProbe = true;
  /** Whether the bring-up under way is a restart (its failures lead back to `restarting`). */
  let restartRun = false;
  /** Consecutive restarts since the instance last ran stably; sets the backoff. */
  let attempt = 0;
  let restarts = 0;
  let runningSince = 0;
  let nextAttemptAt = 0;
  const inFlight = createInFlight();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopRequested = false;
  let started: Promise<InstanceState> | undefined;
  let stopped: Promise<void> | undefined;

  function emit(from: InstanceState | null, details: TransitionDetails): void {
    const event: TransitionEvent = {
      pluginId,
      version,
      key,
      from,
      to: state,
      at: iso(),
      ...details,
    };
    log.append(event);
    try {
      onTransition?.(event);
    } catch {
      // The host's listener must not break the lifecycle.
    }
  }

  function move(to: InstanceState, details: TransitionDetails = {}): void {
    const from = state;
    if (!canTransition(from, to)) throw new Error(`an instance cannot go from ${from} to ${to}`);
    state = to;
    emit(from, details);
  }

  function failureOf(error: unknown): InstanceFailure {
    if (error instanceof SandboxError || error instanceof LifecycleError) {
      return { code: error.code, message: error.message, at: iso() };
    }
    return { code: "crashed", message: messageOf(error), at: iso() };
  }

  function later(callback: () => void, ms: number): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      callback();
    }, ms);
    timer.unref();
  }

  function superseded(created: Sandbox): boolean {
    return stopRequested || sandbox !== created;
  }

  /** A bring-up failed: the first start ends in `failed`, a restart tries again later. */
  function setback(error: InstanceFailure, reason: string): void {
    lastError = error;
    sandbox?.dispose();
    if (restartRun) scheduleRestart(`${reason}; `, error);
    else move("failed", { reason, error });
  }

  async function bringUp(): Promise<void> {
    move("loading", restartRun ? { reason: `restart ${attempt}` } : {});
    let created: Sandbox;
    try {
      created = options.createSandbox(spec);
    } catch (error) {
      const message = `the host could not create the sandbox: ${messageOf(error)}`;
      setback({ code: "create_failed", message, at: iso() }, "the sandbox could not be created");
      return;
    }
    sandbox = created;
    try {
      await created.load();
    } catch (error) {
      if (!superseded(created)) setback(failureOf(error), "loading the plugin failed");
      return;
    }
    if (superseded(created)) return;
    move("starting");
    const outcome = await probePlugin(created, settings.probeTimeoutMs, iso);
    if (superseded(created)) return;
    lastProbe = outcome.record;
    if (outcome.kind === "absent") hasProbe = false;
    if (outcome.kind === "unhealthy") {
      setback(outcome.error, "the start probe failed");
      return;
    }
    runningSince = clock();
    move("running", restartRun ? { reason: "restarted" } : {});
    restartRun = false;
    scheduleCheck();
  }

  /** Waits out the backoff, then disposes the sandbox and loads a fresh one. */
  function scheduleRestart(why: string, error: InstanceFailure | undefined): void {
    attempt += 1;
    const delayMs = restartDelay(settings, attempt);
    nextAttemptAt = clock() + delayMs;
    const reason = `${why}restart ${attempt} in ${delayMs} ms`;
    move("restarting", { reason, delayMs, attempt, ...(error === undefined ? {} : { error }) });
    later(() => {
      restarts += 1;
      restartRun = true;
      sandbox?.dispose();
      void bringUp();
    }, delayMs);
  }

  function markUnhealthy(reason: string, error: InstanceFailure): void {
    if (state !== "running") return;
    clearTimeout(timer);
    lastError = error;
    if (clock() - runningSince >= settings.restartResetAfterMs) attempt = 0;
    move("unhealthy", { reason, error });
    scheduleRestart("", undefined);
  }

  function scheduleCheck(): void {
    if (settings.probeIntervalMs > 0) later(() => void check(), settings.probeIntervalMs);
  }

  /** The periodic check: the sandbox's own verdict first, then the plugin's probe. */
  async function check(): Promise<void> {
    const current = sandbox;
    if (state !== "running" || current === undefined) return;
    const health = current.health();
    if (!health.healthy) {
      const error = health.lastError ?? {
        code: "crashed",
        message: "the sandbox reported unhealthy",
        at: iso(),
      };
      markUnhealthy("the sandbox reported unhealthy", error);
      return;
    }
    if (!hasProbe) return scheduleCheck();
    const outcome = await probePlugin(current, settings.probeTimeoutMs, iso);
    if (superseded(current) || state !== "running") return;
    lastProbe = outcome.record;
    if (outcome.kind === "unhealthy") markUnhealthy("a periodic probe failed", outcome.error);
    else scheduleCheck();
  }

  async function callStopHandler(current: Sandbox): Promise<InstanceFailure | undefined> {
    try {
      await current.call("stop", [], { timeoutMs: settings.stopTimeoutMs });
      return undefined;
    } catch (error) {
      if (error instanceof SandboxError && error.code === "no_handler") return undefined;
      lastError = failureOf(error);
      return lastError;
    }
  }

  async function shutDown(reason: string): Promise<void> {
    if (state === "failed") {
      sandbox?.dispose();
      move("stopped", { reason });
      return;
    }
    const wasRunning = state === "running";
    move("stopping", { reason });
    const current = sandbox;
    let failure: InstanceFailure | undefined;
    if (wasRunning && current !== undefined) {
      await inFlight.drained(settings.stopTimeoutMs);
      failure = await callStopHandler(current);
    }
    sandbox?.dispose();
    move(
      "stopped",
      failure === undefined ? {} : { reason: "the stop handler failed", error: failure },
    );
  }

  emit(null, lastError === null ? {} : { reason: "validation failed", error: lastError });

  return {
    pluginId,
    version,
    key,
    spec,
    issues,
    get state() {
      return state;
    },

    start() {
      started ??= state === "validated" ? bringUp().then(() => state) : Promise.resolve(state);
      return started;
    },

    async call(handler, args, callOptions) {
      const current = sandbox;
      if (state !== "running" || current === undefined) {
        throw refuseCall({
          pluginId,
          version,
          state,
          restarting: restartRun,
          attempt,
          waitMs: Math.max(0, nextAttemptAt - clock()),
          lastError,
        });
      }
      inFlight.enter();
      try {
        return await current.call(handler, args, callOptions);
      } catch (error) {
        if (current === sandbox && state === "running" && !current.health().healthy) {
          markUnhealthy(`a call failed: ${messageOf(error)}`, failureOf(error));
        }
        throw error;
      } finally {
        inFlight.leave();
      }
    },

    health() {
      return {
        pluginId,
        version,
        key,
        state,
        healthy: state === "running",
        inFlight: inFlight.count,
        restarts,
        sandbox: sandbox?.health() ?? null,
        lastProbe,
        lastError,
        transitions: log.entries(),
      };
    },

    transitions: () => log.entries(),

    stop(reason = "stopped by the host") {
      if (stopped === undefined) {
        stopRequested = true;
        clearTimeout(timer);
        stopped = shutDown(reason);
      }
      return stopped;
    },
  };
}
