import type { SwapFailure } from "./plan-swap.js";
import type { PluginGeneration } from "./plugin-generation.js";
import type { PluginInstance } from "./plugin-instance.js";

/** What a caller may add to one swap of a plugin set. */
export interface SwapOptions<M extends object, V> {
  /**
   * Runs after every new instance is loaded and probed, before the switch (the host's
   * database commit, say). If it throws, the new instances are stopped, nothing switches,
   * and the swap rejects with what it threw.
   */
  readonly beforeSwitch?: (next: PluginGeneration<M, V>) => Promise<void> | void;
  /**
   * Builds the next generation's value for this swap in place of the set's `derive`, with the
   * current generation at hand: for a host whose value holds more than the instances (hooks
   * that run in its own process, say). Returning the current generation's own `value` while
   * every instance is carried over means nothing changed: no new generation is made.
   */
  readonly derive?: (
    instances: ReadonlyMap<string, PluginInstance<M>>,
    current: PluginGeneration<M, V>,
  ) => V;
}

export type SwapResult =
  | {
      readonly ok: true;
      /** False when the specs named exactly the current instances: nothing switched. */
      readonly changed: boolean;
      readonly generation: number;
      /** Plugin ids of the instances loaded for this swap. */
      readonly started: readonly string[];
      /** Plugin ids of the instances carried over by key. */
      readonly reused: readonly string[];
      /** Plugin ids whose instance left the set (removed, or replaced by a new key). */
      readonly retired: readonly string[];
    }
  | {
      readonly ok: false;
      /** The generation still current. */
      readonly generation: number;
      readonly failures: readonly SwapFailure[];
    };

export interface RollbackResult {
  /** The generation that is current again. */
  readonly generation: number;
  /** Plugin ids whose instance changed back. */
  readonly restored: readonly string[];
}
