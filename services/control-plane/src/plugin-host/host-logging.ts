import type { HookFailureEvent, HookPipelineError, TransitionEvent } from "@plugboard/runtime";
import type { FastifyBaseLogger } from "fastify";

/** Logs a lifecycle transition: failures and unhealthy instances as warnings, the rest as debug. */
export function logTransition(log: FastifyBaseLogger, event: TransitionEvent): void {
  const level = event.to === "failed" || event.to === "unhealthy" ? "warn" : "debug";
  log[level](
    {
      pluginId: event.pluginId,
      version: event.version,
      instance: event.key,
      from: event.from,
      to: event.to,
      reason: event.reason,
      error: event.error,
    },
    "plugin lifecycle transition",
  );
}

/** Logs a failed hook call, open or closed. */
export function logHookFailure(log: FastifyBaseLogger, event: HookFailureEvent): void {
  log.warn(
    {
      hookId: event.hookId,
      ring: event.ring,
      failMode: event.failMode,
      kind: event.kind,
      message: event.message,
    },
    "a hook call failed",
  );
}

/** Logs hooks that cannot be ordered: their rings fail every call until the rows agree. */
export function logOrderProblem(log: FastifyBaseLogger, error: HookPipelineError): void {
  log.error(
    { err: error, problems: error.problems },
    "the hooks cannot be ordered; every hook of the rings concerned fails each call by its fail mode",
  );
}
