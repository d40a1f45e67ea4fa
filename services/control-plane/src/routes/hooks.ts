import type { OrderedHook } from "@plugboard/contracts";
import { describeHookOrder, type OrderedHookView } from "@plugboard/runtime";
import type { HookSource } from "../hooks/hook-source.js";
import type { RouteHandlers } from "../http/mount-routes.js";

const toOrderedHook = (view: OrderedHookView): OrderedHook => ({
  ...view,
  before: [...view.before],
  after: [...view.after],
});

/**
 * GET /v1/hooks: the hooks of each ring in the order the running pipeline calls them,
 * including hooks that should run but do not (they fail each call by their fail mode).
 */
export function hookHandlers(hooks: Pick<HookSource, "acquire">): Pick<RouteHandlers, "listHooks"> {
  return {
    async listHooks() {
      const lease = hooks.acquire();
      try {
        const { rings } = describeHookOrder(lease.pipeline.order);
        return {
          rings: {
            ingress: rings.ingress.map(toOrderedHook),
            pre_flight: rings.pre_flight.map(toOrderedHook),
            routing: rings.routing.map(toOrderedHook),
            post_flight: rings.post_flight.map(toOrderedHook),
            background: rings.background.map(toOrderedHook),
          },
        };
      } finally {
        lease.release();
      }
    },
  };
}
