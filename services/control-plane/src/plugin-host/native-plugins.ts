import { firstPartyManifests } from "@plugboard/plugin-manifests";
import { FIRST_PARTY_ACTION_EXECUTORS } from "../actions/first-party-executors.js";
import { FIRST_PARTY_NORMALIZERS } from "../ingress/normalizers/index.js";
import { getRuntimeWorkerPack } from "../worker-packs/index.js";
import { NATIVE_HOOK_PLUGINS } from "./native-hooks.js";

/**
 * The first-party plugins whose behaviour is code of the control plane: action executors,
 * webhook normalisers, worker packs with a runtime pack, and native hooks.
 */
export function nativePluginIds(): ReadonlySet<string> {
  const ids = new Set<string>([
    ...FIRST_PARTY_ACTION_EXECUTORS.map((executor) => executor.pluginId),
    ...FIRST_PARTY_NORMALIZERS.keys(),
    ...NATIVE_HOOK_PLUGINS.keys(),
  ]);
  for (const manifest of firstPartyManifests) {
    if (
      manifest.kind === "worker_pack" &&
      getRuntimeWorkerPack(manifest.workerPackId) !== undefined
    ) {
      ids.add(manifest.id);
    }
  }
  return ids;
}
