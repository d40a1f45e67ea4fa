import type { FastifyInstance } from "fastify";
import { type Database, isDatabaseReady } from "../store/database.js";

/** /health: the process answers. /ready: the database answers and is migrated. */
export function registerHealthRoutes(app: FastifyInstance, database: Database): void {
  app.get("/health", async () => ({ status: "ok" }));
  app.get("/ready", async (_request, reply) => {
    const ready = await isDatabaseReady(database);
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "unavailable" });
  });
}
