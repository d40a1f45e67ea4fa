import type { FastifyInstance } from "fastify";

/**
 * Lets requests in flight finish when the server closes, and ends their connections after
 * the answer: Node closes idle keep-alive connections only at the moment `close` is called,
 * so a connection that becomes idle later would hold the process open until it times out.
 */
export function closeConnectionsAfterLastAnswer(app: FastifyInstance): void {
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (closing) void reply.header("connection", "close");
    return payload;
  });
}
