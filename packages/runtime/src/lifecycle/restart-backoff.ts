import type { LifecycleSettings } from "./lifecycle-settings.js";

type BackoffSettings = Pick<
  LifecycleSettings,
  "restartInitialDelayMs" | "restartBackoffFactor" | "restartMaxDelayMs"
>;

/**
 * The wait before restart number `attempt` (1 for the first of a run of restarts): the
 * initial delay, times the factor for each restart before it, capped at the maximum. There
 * is no jitter: instances restart independently, so they do not fail in step.
 */
export function restartDelay(settings: BackoffSettings, attempt: number): number {
  const grown = settings.restartInitialDelayMs * settings.restartBackoffFactor ** (attempt - 1);
  return Math.round(Math.min(grown, settings.restartMaxDelayMs));
}
