import type { AddressInfo } from "node:net";
import fastify from "fastify";
import { answerCpuUsage, reportListening } from "./server-messages.js";

// Child-process entry: a bare Fastify app whose only route, POST BARE_POST_PATH, reads the
// body as bytes (any content type) and answers 202 with a fixed JSON body: the least a
// webhook endpoint can do, the baseline of the webhook ingest benchmark.
answerCpuUsage();
const path = process.env.BARE_POST_PATH ?? "/";
const app = fastify();
app.removeAllContentTypeParsers();
app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
app.post(path, async (_request, reply) =>
  reply.status(202).type("application/json").send('{"event_id":"bare","duplicate":false}'),
);
await app.listen({ port: 0, host: "127.0.0.1" });
reportListening((app.server.address() as AddressInfo).port);
process.once("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
