import type { FailMode, HookRequest, HookRing, JsonValue } from "@plugboard/plugin-sdk";
import { callHook, createSignalPool, PendingCall } from "./call-hook.js";
import { type CheckedHookResult, checkHookResult } from "./check-hook-result.js";
import {
  admitCall,
  type BreakerSettings,
  BreakerSettingsSchema,
  type CircuitBreaker,
  createBreaker,
  recordFailure,
  recordSuccess,
} from "./circuit-breaker.js";
import type { Hook, HookFailureKind } from "./hook.js";
import { HookCallFailure } from "./hook-call-failure.js";
import { HOOK_ERRORS, HookPipelineError } from "./hook-errors.js";
import { createCounters, type HookCounters, type HookStats, snapshotStats } from "./hook-stats.js";
import { type ResolvedHookOrder, resolveHookOrder } from "./resolve-hook-order.js";

/** What a host hands the pipeline for one ring of one request. */
export interface HookPipelineInput {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: JsonValue;
  /** Metadata from earlier rings of the same request, keyed by the plugin id that wrote it. */
  readonly metadata?: Readonly<Record<string, JsonValue>>;
}

/**
 * How a ring ended. `request` is the request as the last hook left it (body, headers and
 * metadata after every `modify` and metadata write); pass its metadata to the next ring.
 */
export type HookPipelineOutcome =
  | { readonly outcome: "continue"; readonly request: HookRequest }
  | {
      readonly outcome: "block";
      readonly hookId: string;
      readonly status: number;
      readonly type: string;
      readonly message: string;
      readonly request: HookRequest;
    }
  | {
      readonly outcome: "respond";
      readonly hookId: string;
      readonly status: number;
      readonly body: JsonValue;
      readonly request: HookRequest;
    }
  | {
      /** A fail-closed hook failed: answer with `status`, never forward the request. */
      readonly outcome: "fail";
      readonly hookId: string;
      readonly failure: HookFailureKind;
      readonly code: "PLUGBOARD_HOOK_FAILED";
      readonly status: number;
      readonly message: string;
      /** What the hook threw or rejected with, for the host's log; never show it to a client. */
      readonly error: unknown;
      readonly request: HookRequest;
    };

/** One failed call, reported to `onFailure`. */
export interface HookFailureEvent {
  readonly hookId: string;
  readonly ring: HookRing;
  readonly failMode: FailMode;
  readonly kind: HookFailureKind;
  readonly message: string;
  readonly error: unknown;
}

export interface HookPipelineOptions {
  /** Breaker settings for every hook; defaults: 5 failures in a row, 30 s cool-down. */
  readonly breaker?: Partial<BreakerSettings>;
  /** The clock breakers use, in milliseconds; defaults to `performance.now`. */
  readonly now?: () => number;
  /** Called on every failed call, open or closed, e.g. to log it; an error it throws is ignored. */
  readonly onFailure?: (event: HookFailureEvent) => void;
  /**
   * A pipeline this one replaces: each hook that is in both (the same `Hook` object, in the
   * same ring) keeps its breaker and counters, shared with the old pipeline while calls on it
   * finish. Other hooks start afresh.
   */
  readonly carry?: HookPipeline;
}

export interface HookPipeline {
  /** The hooks of every ring in the order they run. */
  readonly order: ResolvedHookOrder;
  /** Runs one ring's hooks over a request, in order. Never rejects. */
  run(ring: HookRing, input: HookPipelineInput): Promise<HookPipelineOutcome>;
  /** Each hook's counters and breaker state, ring by ring in running order. */
  stats(): HookStats[];
}

interface HookEntry {
  readonly hook: Hook;
  readonly id: string;
  readonly ring: HookRing;
  readonly timeoutMs: number;
  readonly failMode: FailMode;
  readonly breaker: CircuitBreaker;
  readonly counters: HookCounters;
}

const NO_METADATA: Readonly<Record<string, JsonValue>> = Object.freeze({});

/** What a hook's entry keeps from call to call, which a replacing pipeline may carry over. */
interface EntryState {
  readonly ring: HookRing;
  readonly breaker: CircuitBreaker;
  readonly counters: HookCounters;
}

/** The state of every hook of each pipeline, for `carry`; pipelines are never mutated. */
const statesOf = new WeakMap<HookPipeline, ReadonlyMap<Hook, EntryState>>();

function withMetadata(
  request: HookRequest,
  id: string,
  written: Readonly<Record<string, JsonValue>> | undefined,
): Readonly<Record<string, JsonValue>> {
  const value = written?.[id];
  return value === undefined ? request.metadata : { ...request.metadata, [id]: value };
}

/** The request after a successful result, or the outcome that ends the ring. */
function apply(
  entry: HookEntry,
  result: CheckedHookResult,
  request: HookRequest,
): HookRequest | HookPipelineOutcome {
  switch (result.action) {
    case "passthrough":
      if (result.metadata === undefined) return request;
      return { ...request, metadata: withMetadata(request, entry.id, result.metadata) };
    case "modify":
      return {
        ...request,
        body: result.body === undefined ? request.body : result.body,
        headers: result.headers ?? request.headers,
        metadata: withMetadata(request, entry.id, result.metadata),
      };
    case "block":
      return {
        outcome: "block",
        hookId: entry.id,
        status: result.status,
        type: result.type,
        message: result.message,
        request,
      };
    case "respond":
      return {
        outcome: "respond",
        hookId: entry.id,
        status: result.status,
        body: result.body,
        request,
      };
    default: {
      const exhaustive: never = result;
      return exhaustive;
    }
  }
}

/**
 * Builds a pipeline over a set of hooks: orders each ring once (throwing a
 * `HookPipelineError` on a cycle, a cross-ring constraint or a repeated id) and keeps a
 * circuit breaker and counters per hook.
 *
 * Every failure (throw, rejection, timeout, bad result, crash) applies the hook's
 * `failMode`: `open` goes on to the next hook and counts a bypass; `closed` ends the ring
 * with a `fail` outcome. A breaker opened by consecutive failures skips a fail-open hook
 * (a bypass) until its cool-down ends and one probe call succeeds. It never skips a
 * fail-closed hook: that hook is called on every request whatever its breaker says, so a
 * request is never let through unchecked and the hook's recovery is seen on the next call.
 *
 * @example
 * const pipeline = createHookPipeline([authHook, rateLimitHook]);
 * const outcome = await pipeline.run("pre_flight", { method, path, headers, body });
 * if (outcome.outcome !== "continue") return reply(outcome);
 */
export function createHookPipeline(
  hooks: readonly Hook[],
  options: HookPipelineOptions = {},
): HookPipeline {
  const parsedSettings = BreakerSettingsSchema.safeParse(options.breaker ?? {});
  if (!parsedSettings.success) {
    const detail = parsedSettings.error.issues
      .map((issue) => `breaker.${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    throw new HookPipelineError("PLUGBOARD_HOOK_OPTIONS_INVALID", detail);
  }
  const settings = parsedSettings.data;
  const now = options.now ?? (() => performance.now());
  const onFailure = options.onFailure;
  const pool = createSignalPool();

  const order = resolveHookOrder(hooks.map((hook) => hook.manifest));
  const hookById = new Map(hooks.map((hook) => [hook.manifest.id, hook]));
  const carried = options.carry === undefined ? undefined : statesOf.get(options.carry);
  const entriesOf = (ring: HookRing): HookEntry[] =>
    order[ring].flatMap((manifest) => {
      const hook = hookById.get(manifest.id);
      if (hook === undefined) return [];
      const state = carried?.get(hook);
      const kept = state?.ring === ring ? state : undefined;
      return [
        {
          hook,
          id: manifest.id,
          ring,
          timeoutMs: manifest.timeoutMs,
          failMode: manifest.failMode,
          breaker: kept?.breaker ?? createBreaker(),
          counters: kept?.counters ?? createCounters(),
        },
      ];
    });
  const rings: Readonly<Record<HookRing, readonly HookEntry[]>> = {
    ingress: entriesOf("ingress"),
    pre_flight: entriesOf("pre_flight"),
    routing: entriesOf("routing"),
    post_flight: entriesOf("post_flight"),
    background: entriesOf("background"),
  };

  const report = (entry: HookEntry, failure: HookCallFailure) => {
    entry.counters.failures[failure.kind] += 1;
    recordFailure(entry.breaker, settings, now());
    if (onFailure === undefined) return;
    try {
      onFailure({
        hookId: entry.id,
        ring: entry.ring,
        failMode: entry.failMode,
        kind: failure.kind,
        message: failure.message,
        error: failure.error,
      });
    } catch {
      // An observer's error must not decide the request: the fail mode does.
    }
  };

  async function run(ring: HookRing, input: HookPipelineInput): Promise<HookPipelineOutcome> {
    let request: HookRequest = {
      ring,
      method: input.method,
      path: input.path,
      headers: input.headers,
      body: input.body,
      metadata: input.metadata ?? NO_METADATA,
    };
    for (const entry of rings[ring]) {
      const { breaker, counters } = entry;
      if (
        breaker.state !== "closed" &&
        entry.failMode === "open" &&
        !admitCall(breaker, settings, now())
      ) {
        counters.bypasses += 1;
        counters.breakerSkips += 1;
        continue;
      }
      counters.calls += 1;
      let returned = callHook(entry, request, pool);
      if (returned instanceof PendingCall) {
        // One microtask lets an already-settled promise report before asking for it.
        await undefined;
        returned = returned.done ? returned.result() : await returned.wait();
      }
      let checked: CheckedHookResult | HookCallFailure;
      if (returned instanceof HookCallFailure) checked = returned;
      else {
        try {
          checked = checkHookResult(returned, entry.id);
        } catch (error) {
          checked = new HookCallFailure(
            "bad_result",
            "returned a value that cannot be read",
            error,
          );
        }
      }
      if (checked instanceof HookCallFailure) {
        report(entry, checked);
        if (entry.failMode === "closed") {
          return {
            outcome: "fail",
            hookId: entry.id,
            failure: checked.kind,
            code: "PLUGBOARD_HOOK_FAILED",
            status: HOOK_ERRORS.PLUGBOARD_HOOK_FAILED.status,
            message: `hook "${entry.id}" failed closed (${checked.kind}): ${checked.message}`,
            error: checked.error,
            request,
          };
        }
        counters.bypasses += 1;
        continue;
      }
      if (breaker.state !== "closed" || breaker.consecutiveFailures !== 0) recordSuccess(breaker);
      const next = apply(entry, checked, request);
      if ("outcome" in next) return next;
      request = next;
    }
    return { outcome: "continue", request };
  }

  const entries = [
    ...rings.ingress,
    ...rings.pre_flight,
    ...rings.routing,
    ...rings.post_flight,
    ...rings.background,
  ];
  const pipeline: HookPipeline = {
    order,
    run,
    stats: () => entries.map((entry) => snapshotStats(entry, entry.counters, entry.breaker)),
  };
  statesOf.set(pipeline, new Map(entries.map((entry) => [entry.hook, entry])));
  return pipeline;
}
