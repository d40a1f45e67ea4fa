import { followUpPack } from "./follow-up.js";
import { proposalPack } from "./proposal.js";

export type { WorkerPackDefinition } from "./worker-pack-definition.js";
export { defineWorkerPack, WorkerPackDefinitionSchema } from "./worker-pack-definition.js";

/** Every runtime worker pack the control plane ships; the one list of them. */
export const runtimeWorkerPacks = [followUpPack, proposalPack] as const;

const packsById = new Map(runtimeWorkerPacks.map((pack) => [pack.id, pack]));

/** The runtime pack with this id (a manifest's `workerPackId`), if any. */
export function getRuntimeWorkerPack(id: string) {
  return packsById.get(id);
}
