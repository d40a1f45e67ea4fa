import { followUpPack } from "./follow-up.js";
import { handleFollowUpRouteEvent } from "./follow-up-handler.js";
import type { RouteEventHandler } from "./route-event-handler.js";

/**
 * The behaviour of each runtime pack that acts on route events, by pack id. A pack with no
 * entry makes nothing of events; its runs are recorded as skipped.
 */
export const ROUTE_EVENT_HANDLERS: ReadonlyMap<string, RouteEventHandler> = new Map([
  [followUpPack.id, handleFollowUpRouteEvent],
]);
