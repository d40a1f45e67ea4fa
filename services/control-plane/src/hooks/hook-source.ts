import type { HookRing } from "@plugboard/plugin-sdk";
import type { HookPipeline } from "@plugboard/runtime";

/**
 * The hook pipeline of one generation of plugins, held for one request. Everything a request
 * runs (its rings, in order) uses the pipeline it acquired, so a swap of plugins in the
 * middle never mixes two generations; `release` lets the old generation go.
 */
export interface HookLease {
  readonly pipeline: HookPipeline;
  release(): void;
}

/** Where the seams get the current pipeline from; both calls are synchronous and cheap. */
export interface HookSource {
  /**
   * Whether the current generation has hooks in `ring`: a seam skips the ring, without
   * holding a generation, when it has none.
   */
  hasHooks(ring: HookRing): boolean;
  acquire(): HookLease;
}

/** Where a seam reports what a hook did that the request could not show. */
export interface HookSeamLog {
  warn(object: object, message: string): void;
}
