import type { DraftModel } from "../worker-packs/draft-model.js";
import type {
  RouteEventHandler,
  RouteEventHandling,
  RouteEventInput,
} from "../worker-packs/route-event-handler.js";

/** Thrown when a runtime pack did not finish handling an event in time. */
export class DraftTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(
      `the runtime pack did not finish within ${timeoutMs} ms (PLUGBOARD_DRAFT_TIMEOUT_MS); its draft model was told to stop and nothing was drafted`,
    );
    this.name = "DraftTimeoutError";
  }
}

/**
 * Runs a pack's handler with a signal that is aborted after `timeoutMs`, and gives up on it
 * then whether or not the handler (or its model) heeds the signal.
 */
export async function handleWithin(
  handler: RouteEventHandler,
  input: RouteEventInput,
  model: DraftModel,
  timeoutMs: number,
): Promise<RouteEventHandling> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new DraftTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const handled = handler(input, { model, signal: controller.signal });
  try {
    return await Promise.race([handled, timedOut]);
  } finally {
    clearTimeout(timer);
    // A handler that settles after the timeout must not surface as an unhandled rejection.
    handled.catch(() => {});
  }
}
