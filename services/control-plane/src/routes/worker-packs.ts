import { WorkerInstallResultSchema } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import { connectedProviders } from "../connections/connection-status.js";
import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import { loadCatalog } from "../plugins/plugin-catalog.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";
import { getRuntimeWorkerPack } from "../worker-packs/index.js";
import {
  findStoredOutcome,
  idempotencyKeyOf,
  requestDigest,
  storeOutcome,
} from "../workers/idempotency.js";
import { checkInstallable } from "../workers/install-eligibility.js";
import { createWorker } from "../workers/install-worker.js";
import { toWorkerPackListing } from "../workers/worker-pack-listing.js";

const INSTALL_OPERATION = "installWorker";

/** GET /v1/worker-packs and POST /v1/workers (one transaction, idempotent by key). */
export function workerPackHandlers(
  db: Kysely<Schema>,
  registry: RegistryCache,
): Pick<RouteHandlers, "listWorkerPacks" | "installWorker"> {
  const enabledWorkerPacks = async () => {
    const catalog = await loadCatalog(db);
    const packs = catalog.flatMap(({ manifest, enabled }) =>
      manifest.kind === "worker_pack" ? [{ manifest, enabled }] : [],
    );
    return { packs, connected: await connectedProviders(db, catalog) };
  };

  return {
    async listWorkerPacks() {
      const { packs, connected } = await enabledWorkerPacks();
      const workerPacks = packs.flatMap(({ manifest, enabled }) => {
        const pack = getRuntimeWorkerPack(manifest.workerPackId);
        // A pack is installable only with its runtime pack on this host.
        return enabled && pack !== undefined
          ? [toWorkerPackListing(manifest, pack, connected)]
          : [];
      });
      return { workerPacks };
    },

    async installWorker({ body, principal, request }) {
      const key = idempotencyKeyOf(request);
      const digest = requestDigest(body);
      if (key !== undefined) {
        const stored = await findStoredOutcome(db, INSTALL_OPERATION, key, digest);
        if (stored !== undefined) return WorkerInstallResultSchema.parse(stored);
      }
      const { packs, connected } = await enabledWorkerPacks();
      const found = packs.find(({ manifest }) => manifest.workerPackId === body.workerPackId);
      if (found === undefined) {
        const message = `no worker pack has workerPackId ${body.workerPackId}`;
        throw new ApiError("PLUGBOARD_NOT_FOUND", message, [
          { path: "worker_pack_id", message, code: "not_found" },
        ]);
      }
      const manifest = found.manifest;
      const verdict = checkInstallable({
        manifest,
        enabled: found.enabled,
        pack: getRuntimeWorkerPack(manifest.workerPackId),
        connected,
      });
      if ("refusal" in verdict) throw verdict.refusal;
      const { pack } = verdict;
      const install = db.transaction().execute(async (trx) => {
        const created = await createWorker(trx, {
          manifest,
          pack,
          request: body,
          actor: principal.tokenId,
        });
        if (key !== undefined) {
          await storeOutcome(trx, {
            operation: INSTALL_OPERATION,
            key,
            digest,
            status: 201,
            response: created,
          });
        }
        return created;
      });
      const result = await install.catch(async (error: unknown) => {
        // A concurrent request with the same key committed first: answer with its outcome.
        const stored =
          key === undefined
            ? undefined
            : await findStoredOutcome(db, INSTALL_OPERATION, key, digest);
        if (stored === undefined) throw error;
        return WorkerInstallResultSchema.parse(stored);
      });
      registry.invalidate();
      return result;
    },
  };
}
