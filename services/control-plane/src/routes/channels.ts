import { findJobRow, listJobs, toChannelJob } from "../channels/channel-job-store.js";
import {
  type ChannelServices,
  refreshChannelJob,
  sendThroughChannel,
} from "../channels/channel-sends.js";
import type { RouteHandlers } from "../http/mount-routes.js";
import { pageBefore } from "../http/page-cursor.js";
import { ApiError } from "../http/problem-handler.js";
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

    listJobs: ({ query: { cursor, ...filter } }) =>
      listJobs(services.db, { before: pageBefore(cursor), ...filter }),

    async getJob({ params: { id } }) {
      const row = await findJobRow(services.db, id);
      if (row === undefined) {
        throw new ApiError("PLUGBOARD_NOT_FOUND", `no job has id ${id}`, [
          { path: "id", code: "not_found", message: `no job has id ${id}` },
        ]);
      }
      return toChannelJob(row);
    },

    refreshJob: ({ params: { id } }) => refreshChannelJob(services, id),
  };
}
