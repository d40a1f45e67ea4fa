import type { PluginTransition } from "@plugboard/contracts";
import type { TransitionEvent } from "@plugboard/runtime";

/** A transition as the API and the event bus show it, with the plugin it belongs to. */
export interface HostTransition extends PluginTransition {
  readonly pluginId: string;
}

/** An instance's transition, with the instance's key. */
export function toHostTransition(event: TransitionEvent): HostTransition {
  return {
    pluginId: event.pluginId,
    version: event.version,
    instance: event.key,
    from: event.from,
    to: event.to,
    at: event.at,
    reason: event.reason ?? null,
    error: event.error ?? null,
    delayMs: event.delayMs ?? null,
    attempt: event.attempt ?? null,
  };
}

/**
 * The newest transitions of each plugin, oldest first: those of every instance it has had,
 * and its own (`blocked`, which belongs to no instance). Each one recorded is passed on to
 * `onRecord` (to publish it); an error it throws is ignored.
 */
export interface PluginTransitions {
  record(transition: HostTransition): void;
  of(pluginId: string): readonly PluginTransition[];
}

export function createPluginTransitions(
  limit: number,
  onRecord: (transition: HostTransition) => void,
): PluginTransitions {
  const logs = new Map<string, PluginTransition[]>();
  return {
    record(transition) {
      const { pluginId, ...shown } = transition;
      let log = logs.get(pluginId);
      if (log === undefined) {
        log = [];
        logs.set(pluginId, log);
      }
      log.push(shown);
      if (log.length > limit) log.splice(0, log.length - limit);
      try {
        onRecord(transition);
      } catch {
        // A listener must not break the host's record of what happened.
      }
    },
    of: (pluginId) => [...(logs.get(pluginId) ?? [])],
  };
}
