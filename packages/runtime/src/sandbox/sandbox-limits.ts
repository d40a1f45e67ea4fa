import { z } from "zod";
import { ContextLimitsSchema } from "../context/context-limits.js";

/**
 * Where the synchronous part of a call runs. `thread`: on isolated-vm's thread pool, so the
 * host's event loop never waits for plugin code, at the cost of thread hops on every call.
 * `inline`: on the calling thread when the isolate is idle, which is cheaper per call (see
 * `bench/src/runtime-sandbox.bench.ts`); a runaway then holds the event loop for up to its
 * call's limit once, after which the sandbox dispatches that plugin on the thread pool for
 * good.
 */
export const SANDBOX_DISPATCH_MODES = ["thread", "inline"] as const;
export type SandboxDispatchMode = (typeof SANDBOX_DISPATCH_MODES)[number];

/** The host's policy for one sandboxed plugin; every field has a default. */
export const SandboxLimitsSchema = z.strictObject({
  /** The isolate's heap limit in MB; isolated-vm enforces it approximately (up to 2-3x). */
  memoryLimitMb: z.int().min(8).max(4_096).default(64),
  /**
   * The CPU time one call may use in the isolate, summed over all its runs: its synchronous
   * part with its microtasks, and each continuation after a context call (also after the call
   * settled, for work it left running). Module evaluation and `setup` have a budget each, and
   * so has every event delivery. Each run is stopped when it would pass what is left of this
   * budget or of the call's wall-clock limit.
   */
  cpuTimeMs: z.int().min(1).max(60_000).default(50),
  /** The longest a call may take from start to settled, waiting on context calls included. */
  wallTimeMs: z.int().min(1).max(600_000).default(5_000),
  /** The longest loading may take: isolate, module evaluation and `setup`. */
  loadTimeMs: z.int().min(1).max(600_000).default(5_000),
  /**
   * The longest JSON text of a handler call's arguments, of its result, or of a context
   * call's arguments or result, in characters.
   */
  maxJsonLength: z
    .int()
    .min(1_024)
    .max(64 * 1_024 * 1_024)
    .default(1_024 * 1_024),
  /** How many context calls of one plugin may wait for the host at once. */
  maxPendingContextCalls: z.int().min(1).max(10_000).default(64),
  /**
   * How long after a call settles the work it left running (a publish it did not await, say)
   * may still make context calls, within what is left of the call's CPU budget. Later ones are
   * dropped and never answered, which ends any loop a call left running in the background,
   * however busy the plugin is with other calls.
   */
  backgroundGraceMs: z.int().min(0).max(600_000).default(1_000),
  /** Log lines (logger and console) a plugin may write a second; the rest are dropped. */
  maxLogLinesPerSecond: z.int().min(1).max(1_000_000).default(200),
  /** Characters of log lines (as JSON) a plugin may write a second; the rest are dropped. */
  maxLogCharactersPerSecond: z
    .int()
    .min(1_024)
    .max(64 * 1_024 * 1_024)
    .default(1_024 * 1_024),
  /** Log messages are cut to this many characters inside the isolate, before they cross. */
  maxLogMessageLength: ContextLimitsSchema.shape.maxLogMessageLength,
  /** Log data longer than this as JSON text is replaced by a note inside the isolate. */
  maxLogDataLength: ContextLimitsSchema.shape.maxLogDataLength,
  dispatch: z.enum(SANDBOX_DISPATCH_MODES).default("thread"),
});
export type SandboxLimitsInput = z.input<typeof SandboxLimitsSchema>;
export type SandboxLimits = z.output<typeof SandboxLimitsSchema>;
