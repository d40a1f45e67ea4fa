import type { WorkerPackListing } from "@plugboard/contracts";
import type { WorkerPackManifest } from "@plugboard/plugin-sdk";
import type { WorkerPackDefinition } from "../worker-packs/index.js";

/** A worker-pack manifest as the install screen shows it, with its runtime pack. */
export function toWorkerPackListing(
  manifest: WorkerPackManifest,
  pack: WorkerPackDefinition,
  connected: ReadonlySet<string>,
): WorkerPackListing {
  const missing = manifest.requiredConnectionProviders.filter((key) => !connected.has(key));
  return {
    ...manifest,
    runtimePack: {
      summary: pack.summary,
      inputRoutes: pack.supportedInputRoutes,
      actionCapabilities: pack.actionCapabilities,
    },
    availability: { available: missing.length === 0, missingConnectionProviders: missing },
  };
}
