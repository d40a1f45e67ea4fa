import { WorkerInstallResultSchema } from "@plugboard/contracts";
import type { WorkerPackManifest } from "@plugboard/plugin-sdk";
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
import { createWorker } from "../workers/install-worker.js";
import { toWorkerPackListing } from "../workers/worker-pack-listing.js";

const INSTALL_OPERATION = "installWorker";

const refuse = (code: string, message: string) =>
  new ApiError("PLUGBOARD_CONFLICT", message, [{ path: "worker_pack_id", message, code }]);

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
      const manifest: WorkerPackManifest = found.manifest;
      if (!found.enabled) throw refuse("plugin_disabled", `${manifest.id} is disabled`);
      if (manifest.stability === "experimental") {
        throw refuse("experimental", `${manifest.id} is experimental and cannot be installed`);
      }
      const pack = getRuntimeWorkerPack(manifest.workerPackId);
      if (pack === undefined) {
        throw refuse("no_runtime_pack", `this host has no runtime pack ${manifest.workerPackId}`);
      }
      const missing = manifest.requiredConnectionProviders.filter((p) => !connected.has(p));
      if (missing.length > 0) {
        throw new ApiError(
          "PLUGBOARD_CONFLICT",
          `${manifest.id} needs a connection for: ${missing.join(", ")}`,
          missing.map((provider) => ({
            path: "worker_pack_id",
            message: `required connection provider ${provider} is not connected`,
            code: "missing_connection",
          })),
        );
      }
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
