import type { TransitionEvent } from "@plugboard/runtime";
import type { FastifyBaseLogger } from "fastify";
import type { EventBus } from "../events/event-bus.js";
import { newEventId } from "../events/event-id.js";
import { EventBusClosedError } from "../events/in-process-event-bus.js";
import { toTransition } from "./runtime-status.js";

/** The event type of a lifecycle transition: `plugin.lifecycle.<state>`. */
export function lifecycleEventType(to: TransitionEvent["to"]): string {
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
): (event: TransitionEvent) => void {
  return (event) => {
    const id = newEventId();
    bus
      .publish({
        id,
        type: lifecycleEventType(event.to),
        version: 1,
        time: event.at,
        source: event.pluginId,
        correlationId: id,
        data: { pluginId: event.pluginId, ...toTransition(event) },
      })
      .catch((error: unknown) => {
        // Plugins stop after the bus has closed at shutdown: those transitions have no audience.
        if (error instanceof EventBusClosedError) return;
        log.warn({ err: error, pluginId: event.pluginId }, "a lifecycle event was not published");
      });
  };
}
