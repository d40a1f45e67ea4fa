import { getRegistryRoute } from "@plugboard/contracts";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { requireScope } from "../auth/require-scope.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";

/** GET /v1/registry: pre-serialised, with an ETag; 304 when `If-None-Match` matches. */
export function registerRegistryRoutes(
  app: FastifyInstance,
  db: Kysely<Schema>,
  registry: RegistryCache,
): void {
  app.get("/v1/registry", async (request, reply) => {
    await requireScope(db, request, getRegistryRoute.scope);
    const document = await registry.document();
    void reply.header("etag", document.etag).header("cache-control", "no-cache");
    if (request.headers["if-none-match"] === document.etag) return reply.status(304).send();
    return reply.type("application/json").send(document.body);
  });
}
