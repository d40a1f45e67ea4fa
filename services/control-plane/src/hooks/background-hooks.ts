import type { JsonValue } from "@plugboard/plugin-sdk";
import type { HookSeamLog, HookSource } from "./hook-source.js";

/** What a finished piece of work tells the `background` ring. */
export interface BackgroundNotice {
  /** `/actions/<kind>/outcome` or `/routes/<route kind>/dispatched`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: JsonValue;
}

/**
 * The `background` ring: told about work after it is recorded (an action's outcome, a route
 * event handed to its workers), without anyone waiting. Results are not used: a hook here
 * observes; its failures are counted in the hook's stats and logged.
 */
export function backgroundHooks(
  hooks: HookSource,
  log: HookSeamLog,
): (notice: BackgroundNotice) => void {
  return (notice) => {
    if (!hooks.hasHooks("background")) return;
    const lease = hooks.acquire();
    void lease.pipeline
      .run("background", { method: "POST", ...notice })
      .then((outcome) => {
        if (outcome.outcome === "fail") {
          log.warn(
            { err: outcome.error, hookId: outcome.hookId, path: notice.path },
            "a background hook failed",
          );
        }
      })
      .finally(() => lease.release());
  };
}
