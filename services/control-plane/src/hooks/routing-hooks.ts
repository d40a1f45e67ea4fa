import type { EventEnvelope } from "../events/event-envelope.js";
import type { RoutingDecision } from "../routing/route-event-dispatcher.js";
import type { HookSeamLog, HookSource } from "./hook-source.js";

/**
 * The `routing` ring over route events, before any worker sees one. Hooks see
 * `POST /routes/<route kind>` with `x-plugboard-event-id`, `x-plugboard-source` and
 * `x-plugboard-correlation-id`, and the event's data as the body. `modify` changes the data
 * workers get; `block` and `respond` keep the event from every worker (their runs are
 * recorded as skipped, with the hook's reason); a fail-closed failure records them as failed.
 */
export function routeWithHooks(
  hooks: HookSource,
  log: HookSeamLog,
): (event: EventEnvelope) => Promise<RoutingDecision> {
  return async (event) => {
    if (!hooks.hasHooks("routing")) return { type: "continue", data: event.data };
    const lease = hooks.acquire();
    try {
      const routeKind = event.type.replace(/^route\./, "");
      const outcome = await lease.pipeline.run("routing", {
        method: "POST",
        path: `/routes/${routeKind}`,
        headers: {
          "x-plugboard-event-id": event.id,
          "x-plugboard-source": event.source,
          "x-plugboard-correlation-id": event.correlationId,
        },
        body: event.data,
      });
      switch (outcome.outcome) {
        case "continue":
          return { type: "continue", data: outcome.request.body };
        case "block":
          return {
            type: "stop",
            status: "skipped",
            reason: `${outcome.hookId} blocked the event (${outcome.status} ${outcome.type}): ${outcome.message}`,
          };
        case "respond":
          return {
            type: "stop",
            status: "skipped",
            reason: `${outcome.hookId} answered the event (${outcome.status}); no worker was given it`,
          };
        case "fail":
          log.warn(
            { err: outcome.error, hookId: outcome.hookId, eventId: event.id },
            "a fail-closed routing hook failed; no worker was given the event",
          );
          return {
            type: "stop",
            status: "failed",
            reason: `hook ${outcome.hookId} failed (${outcome.failure}) and fails closed`,
          };
        default: {
          const exhaustive: never = outcome;
          return exhaustive;
        }
      }
    } finally {
      lease.release();
    }
  };
}
