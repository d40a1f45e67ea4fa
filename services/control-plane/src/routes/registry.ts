import type { RouteHandlers } from "../http/mount-routes.js";
import type { RegistryCache } from "../registry/registry-cache.js";

/** GET /v1/registry: pre-serialised, with an ETag; 304 when `If-None-Match` matches. */
export function registryHandlers(registry: RegistryCache): Pick<RouteHandlers, "getRegistry"> {
  return {
    async getRegistry({ request, reply }) {
      const document = await registry.document();
      void reply.header("etag", document.etag).header("cache-control", "no-cache");
      if (request.headers["if-none-match"] === document.etag) return reply.status(304).send();
      return reply.type("application/json").send(document.body);
    },
  };
}
