import type { Kysely } from "kysely";
import type { RouteHandlers } from "../http/mount-routes.js";
import { pageBefore } from "../http/page-cursor.js";
import { ApiError } from "../http/problem-handler.js";
import { findWorkItem, listWorkItems } from "../routing/work-item-store.js";
import { listWorkerRuns } from "../routing/worker-run-store.js";
import type { Schema } from "../store/schema.js";

/** GET /v1/work-items, GET /v1/work-items/{id} and GET /v1/worker-runs: what workers made. */
export function workItemHandlers(
  db: Kysely<Schema>,
): Pick<RouteHandlers, "listWorkItems" | "getWorkItem" | "listWorkerRuns"> {
  return {
    listWorkItems: ({ query: { cursor, ...filter } }) =>
      listWorkItems(db, { before: pageBefore(cursor), ...filter }),

    async getWorkItem({ params: { id } }) {
      const item = await findWorkItem(db, id);
      if (item === undefined) {
        throw new ApiError("PLUGBOARD_NOT_FOUND", `no work item has id ${id}`, [
          { path: "id", message: `no work item has id ${id}`, code: "not_found" },
        ]);
      }
      return item;
    },

    listWorkerRuns: ({ query: { cursor, ...filter } }) =>
      listWorkerRuns(db, { before: pageBefore(cursor), ...filter }),
  };
}
