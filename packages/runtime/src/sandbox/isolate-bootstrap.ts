import { BOOTSTRAP_CALLS } from "./bootstrap-calls.js";
import { BOOTSTRAP_CONTEXT } from "./bootstrap-context.js";
import { BOOTSTRAP_INTRINSICS } from "./bootstrap-intrinsics.js";
import { BOOTSTRAP_LOGS } from "./bootstrap-logs.js";
import { BOOTSTRAP_REPLIES } from "./bootstrap-replies.js";
import type { SandboxLimits } from "./sandbox-limits.js";

/**
 * The code the sandbox runs in a fresh isolate before the plugin's module: it removes the
 * globals plugin code must not have, builds the plugin's `ctx`, replaces `console` with one
 * that writes to the plugin's logger, and exposes four functions the host calls by reference
 * (`prepare`, `invoke`, `collect`, `settle`; see `bootstrap-calls.ts`). It is the body of a
 * function run with `evalClosure`: `$0` is the one host callback (`send`), `$1` the
 * `BootstrapSettings` as JSON.
 *
 * Security rests on the host, not on this code. Plugin code shares this realm, so everything
 * the host receives from the isolate (replies and messages, always strings) is parsed and
 * checked host-side. What this code must guarantee is narrow: `send` stays in this closure
 * (it is only ever called directly, never passed, never a receiver), no string longer than
 * the caps reaches `send` or a reply (the host copies every string the isolate hands it), and
 * nothing plugin code does, poisoned built-ins included, makes a bootstrap function throw to
 * the host. Functions are strict, so `caller` and stack frames do not expose them.
 *
 * Messages to the host, through `send`: `("request", id, method, argsJson, owner)`,
 * `("log", level, argsJson)`, `("settled", callId, replyJson)`.
 */
export const ISOLATE_BOOTSTRAP = [
  BOOTSTRAP_INTRINSICS,
  BOOTSTRAP_REPLIES,
  BOOTSTRAP_CONTEXT,
  BOOTSTRAP_LOGS,
  BOOTSTRAP_CALLS,
].join("\n");

/** What the bootstrap needs to know of the host's policy, passed as `$1`. */
export interface BootstrapSettings {
  readonly maxJsonLength: number;
  readonly maxPendingContextCalls: number;
  readonly maxLogLinesPerSecond: number;
  readonly maxLogCharactersPerSecond: number;
  readonly maxLogMessageLength: number;
  readonly maxLogDataLength: number;
}

export function bootstrapSettings(limits: SandboxLimits): string {
  const settings: BootstrapSettings = {
    maxJsonLength: limits.maxJsonLength,
    maxPendingContextCalls: limits.maxPendingContextCalls,
    maxLogLinesPerSecond: limits.maxLogLinesPerSecond,
    maxLogCharactersPerSecond: limits.maxLogCharactersPerSecond,
    maxLogMessageLength: limits.maxLogMessageLength,
    maxLogDataLength: limits.maxLogDataLength,
  };
  return JSON.stringify(settings);
}
