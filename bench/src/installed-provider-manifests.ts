import { firstPartyManifests } from "@plugboard/plugin-manifests";
import { checkRegistry, type PluginManifest, validateManifest } from "@plugboard/plugin-sdk";

/**
 * `count` distinct connection-provider manifests (`provider.bench-0001`, …), shaped like the
 * first-party Google Calendar provider: one setup step, two secrets, tags and docs. Each is
 * checked with `validateManifest`, and together with the first-party set with
 * `checkRegistry`, so what the control plane serves is a registry it would accept.
 */
export function installedProviderManifests(count: number): PluginManifest[] {
  const manifests: PluginManifest[] = [];
  for (let n = 1; n <= count; n++) {
    const number = String(n).padStart(4, "0");
    const provider = `bench_${number}`;
    const candidate = {
      kind: "connection_provider",
      id: `provider.bench-${number}`,
      version: `1.${n % 7}.0`,
      displayName: `Bench Provider ${number}`,
      description: `Lets workers read records from bench system ${number}, for example to prepare a recap. Read-only; it feeds no input routes.`,
      owner: "third_party",
      stability: n % 3 === 0 ? "stable" : "experimental",
      category: n % 2 === 0 ? "knowledge" : "communication",
      priority: n % 100,
      tags: ["bench", `group-${n % 10}`],
      engines: { plugboard: "^1.0.0" },
      provider,
      accessModes: ["read_only"],
      capabilities: ["read_events"],
      compatibleInputRouteKinds: [],
      setupMode: "operator_driven",
      secretKeys: [`${provider}_api_key`],
      setupSteps: [
        {
          id: `bench-${number}-connect`,
          title: `Connect bench system ${number}`,
          description: "Paste an API key with read access to the records.",
          ctaLabel: "Add API key",
          operatorOnly: true,
          target: { surface: "connections", focus: provider },
        },
      ],
      docsHref: `/docs/plugins/connection-providers/bench-${number}`,
    };
    const result = validateManifest(candidate);
    if (!result.success) {
      throw new Error(
        `generated manifest ${candidate.id} is invalid: ${JSON.stringify(result.issues.slice(0, 3))}`,
      );
    }
    manifests.push(result.manifest);
  }
  const checked = checkRegistry([...firstPartyManifests, ...manifests]);
  if (!checked.success) {
    throw new Error(
      `generated registry has problems: ${JSON.stringify(checked.problems.slice(0, 3))}`,
    );
  }
  return manifests;
}
