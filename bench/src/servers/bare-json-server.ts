import type { AddressInfo } from "node:net";
import fastify from "fastify";
import { answerCpuUsage, reportListening, type ToServer } from "./server-messages.js";

// Child-process entry: a bare Fastify app that answers GET `path` with `body`, the bytes a
// control plane route sent, as application/json. Both arrive from the parent over IPC.
answerCpuUsage();
const onServe = (message: ToServer) => {
  if (message.type !== "serve") return;
  process.off("message", onServe);
  const app = fastify();
  app.get(message.path, async (_request, reply) =>
    reply.type("application/json").send(message.body),
  );
  void app.listen({ port: 0, host: "127.0.0.1" }).then(() => {
    reportListening((app.server.address() as AddressInfo).port);
  });
  process.once("SIGTERM", () => {
    void app.close().then(() => process.exit(0));
  });
};
process.on("message", onServe);
