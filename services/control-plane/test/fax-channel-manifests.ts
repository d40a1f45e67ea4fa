import { faxlineFaxChannel } from "@plugboard/plugin-manifests";
import type { HttpOperation, HttpRuntime } from "@plugboard/plugin-sdk";
import { firstPartyCopy } from "./third-party-manifests.js";

/** A copy of the Faxline runtime, to change. */
export function faxRuntime(): HttpRuntime {
  const { runtime } = faxlineFaxChannel;
  if (runtime.type !== "http") throw new Error("Faxline has an HTTP runtime");
  return structuredClone(runtime);
}

/** One operation of a runtime, which the test means to change. */
export function operationOf(runtime: HttpRuntime, name: string): HttpOperation {
  const operation = runtime.operations[name];
  if (operation === undefined) throw new Error(`the runtime has no ${name}`);
  return operation;
}

/** A third-party copy of the Faxline channel, to install, upgrade and break. */
export function acmeFax(version: string, changes: Record<string, unknown> = {}) {
  return {
    ...firstPartyCopy(faxlineFaxChannel.id),
    id: "channel.fax.acme",
    version,
    owner: "third_party",
    stability: "experimental",
    setupSteps: [],
    ...changes,
  };
}
