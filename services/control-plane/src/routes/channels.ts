import { failUnfinishedSends, listJobs } from "../channels/channel-job-store.js";
import {
  type ChannelServices,
  readChannelJob,
  refreshChannelJob,
  sendThroughChannel,
} from "../channels/channel-sends.js";
import type { RouteHandlers } from "../http/mount-routes.js";
import { pageBefore } from "../http/page-cursor.js";
import { idempotencyKeyOf } from "../workers/idempotency.js";

/** POST /v1/channels/{pluginId}/send and the job routes: list, show, refresh. */
export function channelHandlers(
  services: ChannelServices,
): Pick<RouteHandlers, "sendThroughChannel" | "listJobs" | "getJob" | "refreshJob"> {
  return {
    sendThroughChannel: ({ params, body, principal, request }) =>
      sendThroughChannel(services, params.plugin, body, {
        actor: principal.tokenId,
        requestKey: idempotencyKeyOf(request),
      }),

    async listJobs({ query: { cursor, ...filter } }) {
      await failUnfinishedSends(services.db);
      return listJobs(services.db, { before: pageBefore(cursor), ...filter });
    },

    getJob: ({ params: { id } }) => readChannelJob(services.db, id),

    refreshJob: ({ params: { id } }) => refreshChannelJob(services, id),
  };
}
