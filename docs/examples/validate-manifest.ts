import { formatIssues, validateManifest } from "@plugboard/plugin-sdk";

/** What a manifest file might hold after `JSON.parse`: a worker pack with several mistakes. */
export const brokenWorkerPack: unknown = {
  kind: "worker_pack",
  id: "worker-pack.Follow-Up",
  version: "1.0",
  displayName: "Follow-up",
  description: "Drafts follow-up emails from forwarded threads.",
  owner: "third_party",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  workerPackId: "follow_up",
  workerKind: "follow_up",
  defaultScope: "team",
  supportedInputRouteKinds: ["forward_email"],
  outputKinds: [],
  actionKinds: ["send_email"],
  requiredConnectionProviders: ["smtp_relay"],
  optionalConnectionProviders: [],
  setupSteps: [
    { id: "connect-smtp", title: "Connect SMTP", description: "Add the relay.", cta: "Connect" },
  ],
};

/** Validates anything and reports the result in one line per problem. */
export function describeManifest(input: unknown): string {
  const result = validateManifest(input);
  if (!result.success) return formatIssues(result.issues);
  const manifest = result.manifest;
  if (manifest.kind === "worker_pack") {
    return `${manifest.id} is a valid worker pack for runtime pack ${manifest.workerPackId}`;
  }
  return `${manifest.id} is a valid ${manifest.kind}`;
}
