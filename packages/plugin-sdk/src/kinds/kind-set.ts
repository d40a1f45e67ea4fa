import { PlugboardError } from "../errors.js";
import { BUILT_IN_KINDS, type BuiltInKind } from "./built-in-kinds.js";
import type { AnyKindDefinition } from "./define-kind.js";

/** The kinds a host accepts, looked up by name in constant time. */
export interface KindSet<K extends AnyKindDefinition = AnyKindDefinition> {
  readonly kinds: readonly K[];
  readonly names: readonly string[];
  get(name: string): K | undefined;
}

/**
 * Builds the set of kinds a host accepts. Pass the built-in kinds plus the host's own:
 * `createKindSet([...BUILT_IN_KINDS, faxProviderKind])`.
 */
export function createKindSet<const K extends AnyKindDefinition>(kinds: readonly K[]): KindSet<K> {
  const byName = new Map<string, K>();
  for (const kind of kinds) {
    if (byName.has(kind.name)) {
      throw new PlugboardError("PLUGBOARD_KIND_INVALID", `kind "${kind.name}" is defined twice`);
    }
    byName.set(kind.name, kind);
  }
  const names = [...byName.keys()];
  return { kinds, names, get: (name) => byName.get(name) };
}

/** The built-in kinds as a set: the default of every function that takes `kinds`. */
export const builtInKindSet: KindSet<BuiltInKind> = createKindSet(BUILT_IN_KINDS);
