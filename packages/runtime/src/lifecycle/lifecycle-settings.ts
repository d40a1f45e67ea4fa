import { formatPath } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { LifecycleError } from "./lifecycle-errors.js";

/** How each plugin instance is watched, restarted and stopped; every field has a default. */
export const LifecycleSettingsSchema = z.strictObject({
  /**
   * How often a running instance is checked: the sandbox's health, then the plugin's `probe`
   * handler if it has one. 0 turns the periodic check off (start still probes).
   */
  probeIntervalMs: z.int().min(0).max(86_400_000).default(30_000),
  /** The longest a probe may take before it counts as failed. */
  probeTimeoutMs: z.int().min(1).max(600_000).default(2_000),
  /** The wait before the first restart of an unhealthy instance. */
  restartInitialDelayMs: z.int().min(0).max(3_600_000).default(1_000),
  /** Each consecutive restart waits this many times longer than the one before. */
  restartBackoffFactor: z.number().min(1).max(100).default(2),
  /** The longest wait between restarts. */
  restartMaxDelayMs: z.int().min(0).max(3_600_000).default(60_000),
  /** After running this long without trouble, the next restart waits the initial delay again. */
  restartResetAfterMs: z.int().min(0).max(86_400_000).default(60_000),
  /** The longest stopping waits for calls in flight, and then for the `stop` handler. */
  stopTimeoutMs: z.int().min(1).max(600_000).default(5_000),
  /** Transitions kept per instance (and per plugin id in a plugin set). */
  historyLimit: z.int().min(1).max(10_000).default(50),
});
export type LifecycleSettingsInput = z.input<typeof LifecycleSettingsSchema>;
export type LifecycleSettings = z.output<typeof LifecycleSettingsSchema>;

/** How a plugin set keeps generations; every field has a default. */
export const PluginSetSettingsSchema = z.strictObject({
  /**
   * How long the previous generation stays loaded after a swap, for `rollback()`. 0 keeps
   * none: instances that left the set stop as soon as no lease holds them.
   */
  rollbackWindowMs: z.int().min(0).max(86_400_000).default(300_000),
  /** How long `close()` waits for leases to be released before it stops every instance. */
  closeTimeoutMs: z.int().min(0).max(600_000).default(10_000),
});
export type PluginSetSettingsInput = z.input<typeof PluginSetSettingsSchema>;
export type PluginSetSettings = z.output<typeof PluginSetSettingsSchema>;

/** Parses settings once, at construction; a bad value throws `invalid_settings` naming it. */
export function parseSettings<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: string,
): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .map((issue) => `${prefix}${formatPath(issue.path)}: ${issue.message}`)
    .join("; ");
  throw new LifecycleError("invalid_settings", "", detail);
}
