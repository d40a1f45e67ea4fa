import { buildOpenApiDocument } from "@plugboard/contracts";
import type { FastifyInstance } from "fastify";

/** GET /openapi.json: the OpenAPI 3.1 document generated from the contracts' route table. */
export function registerOpenApiRoute(app: FastifyInstance): void {
  const document = JSON.stringify(buildOpenApiDocument());
  app.get("/openapi.json", (_request, reply) => reply.type("application/json").send(document));
}
