import { z } from "zod";

/**
 * Where the synchronous part of a call runs. `thread`: on isolated-vm's thread pool, so the
 * host's event loop never waits for plugin code (a round trip costs two thread hops, about
 * 50 µs here). `inline`: on the calling thread when the isolate is idle, about 3 µs; a runaway
 * then holds the event loop for up to `cpuTimeMs` once, after which the sandbox dispatches
 * that plugin on the thread pool for good.
 */
export const SANDBOX_DISPATCH_MODES = ["thread", "inline"] as const;
export type SandboxDispatchMode = (typeof SANDBOX_DISPATCH_MODES)[number];

/** The host's policy for one sandboxed plugin; every field has a default. */
export const SandboxLimitsSchema = z.strictObject({
  /** The isolate's heap limit in MB; isolated-vm enforces it approximately (up to 2-3x). */
  memoryLimitMb: z.int().min(8).max(4_096).default(64),
  /**
   * The longest plugin code may run without yielding: each run in the isolate (a call's
   * synchronous part with its microtasks, a continuation after a context call, module
   * evaluation) is stopped after this many milliseconds.
   */
  cpuTimeMs: z.int().min(1).max(60_000).default(50),
  /** The longest a call may take from start to settled, waiting on context calls included. */
  wallTimeMs: z.int().min(1).max(600_000).default(5_000),
  /** The longest loading may take: isolate, module evaluation and `setup`. */
  loadTimeMs: z.int().min(1).max(600_000).default(5_000),
  /** The longest JSON text a handler may return, or a context call may send, in characters. */
  maxJsonLength: z
    .int()
    .min(1_024)
    .max(64 * 1_024 * 1_024)
    .default(1_024 * 1_024),
  /** How many context calls of one plugin may wait for the host at once. */
  maxPendingContextCalls: z.int().min(1).max(10_000).default(64),
  /**
   * How long after its last call settles a plugin may still make context calls (a publish it
   * did not await, say). Later ones are dropped and never answered, which ends any loop a
   * plugin left running in the background.
   */
  backgroundGraceMs: z.int().min(0).max(600_000).default(1_000),
  /** Log lines (logger and console) a plugin may write a second; the rest are dropped. */
  maxLogLinesPerSecond: z.int().min(1).max(1_000_000).default(200),
  dispatch: z.enum(SANDBOX_DISPATCH_MODES).default("thread"),
});
export type SandboxLimitsInput = z.input<typeof SandboxLimitsSchema>;
export type SandboxLimits = z.output<typeof SandboxLimitsSchema>;
