import type { AddressInfo } from "node:net";
import { loadConfig } from "@plugboard/control-plane/src/config.ts";
import { buildControlPlane } from "@plugboard/control-plane/src/server.ts";
import { answerCpuUsage, reportListening } from "./server-messages.js";

// Child-process entry: the control plane built from source with the environment it was
// given, on 127.0.0.1 and an ephemeral port, which it reports to the parent over IPC.
// tsx turns on source maps; `node dist/main.js` runs without them, and with them every
// Error's stack (a logged warning, a 4xx) costs several times more.
process.setSourceMapsEnabled(false);
answerCpuUsage();
const { app } = await buildControlPlane(loadConfig(process.env));
await app.listen({ port: 0, host: "127.0.0.1" });
reportListening((app.server.address() as AddressInfo).port);
process.once("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
