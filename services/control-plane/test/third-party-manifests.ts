import { firstPartyManifests } from "@plugboard/plugin-manifests";

/** The id of the third-party hook most install tests use. */
export const AUDIT_HOOK_ID = "hook.acme-audit";

/** A third-party hook with a module runtime at `dist/index.js`, at `version`. */
export function auditHook(version = "1.0.0", changes: Record<string, unknown> = {}) {
  return {
    kind: "hook",
    id: AUDIT_HOOK_ID,
    version,
    displayName: "Acme audit trail",
    description: "Copies every answered request to the Acme audit service.",
    owner: "third_party",
    stability: "experimental",
    category: "gateway",
    engines: { plugboard: "^1.0.0" },
    permissions: ["network:outbound:audit.acme.example"],
    ring: "background",
    priority: 500,
    timeoutMs: 200,
    failMode: "open",
    runtime: { type: "module", entry: "dist/index.js" },
    ...changes,
  };
}

/** The code file of a hook's package: a hook that lets every request pass. */
export function hookCode(id = AUDIT_HOOK_ID): string {
  return `export default {\n  manifest: { id: ${JSON.stringify(id)} },\n  setup() { return { run: () => ({ action: "passthrough" }) }; },\n};\n`;
}

/** A third-party hook with no code: a manifest alone is enough to install it. */
export function declarativeHook(id: string, version = "1.0.0") {
  const { runtime: _runtime, ...manifest } = auditHook(version, { id });
  return manifest;
}

/** A copy of a first-party manifest as loose data, to turn into a third-party one. */
export function firstPartyCopy(id: string): Record<string, unknown> {
  const manifest = firstPartyManifests.find((candidate) => candidate.id === id);
  if (manifest === undefined) throw new Error(`no first-party manifest ${id}`);
  return structuredClone(manifest) as unknown as Record<string, unknown>;
}

/** A third-party worker pack modelled on the follow-up pack, with its own ids. */
export function crmWorkerPack(changes: Record<string, unknown> = {}) {
  return {
    ...firstPartyCopy("worker-pack.follow-up"),
    id: "worker-pack.acme-crm",
    displayName: "Acme CRM follow-up",
    owner: "third_party",
    workerPackId: "acme_crm_v1",
    ...changes,
  };
}
