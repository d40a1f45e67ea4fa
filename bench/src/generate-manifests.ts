import { firstPartyManifests } from "@plugboard/plugin-manifests";
import type { PluginManifest } from "@plugboard/plugin-sdk";

function suffixId(id: string, n: number): string {
  return `${id}-n${n}`;
}

/**
 * `count` valid manifests covering every first-party kind, with unique ids and runtime pack
 * ids, whose references stay resolvable: a registry `checkRegistry` accepts as a whole.
 */
export function generateManifests(count: number): PluginManifest[] {
  const out: PluginManifest[] = [];
  for (let n = 0; out.length < count; n++) {
    for (const base of firstPartyManifests) {
      if (out.length === count) break;
      const copy = structuredClone(base) as PluginManifest;
      copy.id = suffixId(base.id, n);
      copy.description = `${base.description} (copy ${n})`;
      if (copy.kind === "worker_pack") {
        copy.workerPackId = copy.workerPackId.replace(/_v(\d+)$/, `_n${n}_v$1`);
      }
      if (copy.kind === "rule_operator") {
        const domain = copy.id.slice("operator.".length);
        for (const operator of [...copy.conditions, ...copy.actions]) {
          operator.id = `${domain}.${operator.id.split(".")[1]}`;
        }
      }
      if (copy.kind === "hook") {
        copy.priority = (copy.priority + n) % 10_000;
      }
      out.push(copy);
    }
  }
  return out;
}
