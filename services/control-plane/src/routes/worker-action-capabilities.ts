import type { Kysely } from "kysely";
import type { RouteHandlers } from "../http/mount-routes.js";
import type { Schema } from "../store/schema.js";
import { setBoundaryMode } from "../workers/action-capabilities.js";

/** PUT /v1/workers/{id}/action-capabilities/{kind}: the boundary mode, audited. */
export function workerActionCapabilityHandlers(
  db: Kysely<Schema>,
): Pick<RouteHandlers, "updateWorkerActionCapability"> {
  return {
    updateWorkerActionCapability: ({ params, body, principal }) =>
      setBoundaryMode(db, {
        workerId: params.id,
        kind: params.kind,
        boundaryMode: body.boundaryMode,
        actor: principal.tokenId,
      }),
  };
}
