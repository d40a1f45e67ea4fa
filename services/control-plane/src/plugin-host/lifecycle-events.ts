import type { FastifyBaseLogger } from "fastify";
import type { EventBus } from "../events/event-bus.js";
import { newEventId } from "../events/event-id.js";
import { EventBusClosedError } from "../events/in-process-event-bus.js";
import type { HostTransition } from "./plugin-transitions.js";

/** The event type of a lifecycle transition: `plugin.lifecycle.<state>`. */
export function lifecycleEventType(to: HostTransition["to"]): string {
  return `plugin.lifecycle.${to}`;
}

/**
 * Publishes every lifecycle transition on the event bus as `plugin.lifecycle.<state>`, with
 * the plugin as its source, so operators and plugins granted `event:subscribe:plugin.>` see
 * them. A refused publish is logged (except after the bus closed, at shutdown); the
 * transition has happened either way.
 */
export function publishLifecycleEvents(
  bus: EventBus,
  log: Pick<FastifyBaseLogger, "warn">,
): (transition: HostTransition) => void {
  return (transition) => {
    const id = newEventId();
    bus
      .publish({
        id,
        type: lifecycleEventType(transition.to),
        version: 1,
        time: transition.at,
        source: transition.pluginId,
        correlationId: id,
        data: { ...transition },
      })
      .catch((error: unknown) => {
        // Plugins stop after the bus has closed at shutdown: those transitions have no audience.
        if (error instanceof EventBusClosedError) return;
        log.warn(
          { err: error, pluginId: transition.pluginId },
          "a lifecycle event was not published",
        );
      });
  };
}
