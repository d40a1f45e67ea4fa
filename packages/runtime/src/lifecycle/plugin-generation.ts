import type { PluginInstance } from "./plugin-instance.js";

/** One complete set of instances, as callers see it; it never changes once made. */
export interface PluginGeneration<M extends object, V> {
  /** Numbers grow with each swap; a rollback brings back an earlier generation and its number. */
  readonly generation: number;
  /** The instances by plugin id, in the order of the specs. */
  readonly instances: ReadonlyMap<string, PluginInstance<M>>;
  /** What `derive` made of the instances (such as a hook pipeline); `undefined` without it. */
  readonly value: V;
}

/** A generation held for one unit of work; its instances stay loaded until `release()`. */
export interface PluginLease<M extends object, V> extends PluginGeneration<M, V> {
  /** Lets go of the generation; calling it again does nothing. */
  release(): void;
}

/** A generation with the number of leases that hold it. */
export interface GenerationRecord<M extends object, V> {
  readonly view: PluginGeneration<M, V>;
  leases: number;
}

/**
 * Takes a lease on `record`. `onLast` runs when the record's last lease is released, once
 * per time its count drops to zero.
 */
export function leaseGeneration<M extends object, V>(
  record: GenerationRecord<M, V>,
  onLast: () => void,
): PluginLease<M, V> {
  record.leases += 1;
  let released = false;
  return {
    ...record.view,
    release() {
      if (released) return;
      released = true;
      record.leases -= 1;
      if (record.leases === 0) onLast();
    },
  };
}
