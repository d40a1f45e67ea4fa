import type { PluginInstance } from "./plugin-instance.js";

/**
 * Instances that left the current generation, kept loaded for a while so that a swap back to
 * them (a rollback of one plugin's version, say) finds them running.
 */
export interface RetainedInstances<M extends object> {
  /**
   * Keeps `instance` for the window, in the place of its plugin id and version; an instance
   * kept there before is let go (the set stops it once nothing else holds it).
   */
  retain(instance: PluginInstance<M>): void;
  /** Stops keeping `instance` (it is current again); nothing happens if it was not kept. */
  release(instance: PluginInstance<M>): void;
  instances(): IterableIterator<PluginInstance<M>>;
  /** Lets every instance go and cancels every timer. */
  clear(): void;
}

interface Kept<M extends object> {
  readonly instance: PluginInstance<M>;
  readonly timer: ReturnType<typeof setTimeout>;
}

const placeOf = (instance: PluginInstance<object>) =>
  `${instance.pluginId}\u0000${instance.version}`;

/**
 * Keeps at most one instance per plugin id and version, each for `windowMs` after it left;
 * `onExpired` runs when one is let go at the end of its window (to stop what nothing holds).
 * With a window of 0 nothing is kept.
 */
export function createRetainedInstances<M extends object>(
  windowMs: number,
  onExpired: () => void,
): RetainedInstances<M> {
  const kept = new Map<string, Kept<M>>();

  function drop(place: string): void {
    const entry = kept.get(place);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    kept.delete(place);
  }

  return {
    retain(instance) {
      if (windowMs <= 0) return;
      const place = placeOf(instance);
      drop(place);
      const timer = setTimeout(() => {
        if (kept.get(place)?.instance !== instance) return;
        kept.delete(place);
        onExpired();
      }, windowMs);
      timer.unref();
      kept.set(place, { instance, timer });
    },

    release(instance) {
      const place = placeOf(instance);
      if (kept.get(place)?.instance === instance) drop(place);
    },

    *instances() {
      for (const entry of kept.values()) yield entry.instance;
    },

    clear() {
      for (const place of [...kept.keys()]) drop(place);
    },
  };
}
