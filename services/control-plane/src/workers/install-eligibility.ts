import type { WorkerPackManifest } from "@plugboard/plugin-sdk";
import { ApiError } from "../http/problem-handler.js";
import type { WorkerPackDefinition } from "../worker-packs/index.js";

export interface InstallCandidate {
  readonly manifest: WorkerPackManifest;
  readonly enabled: boolean;
  /** The runtime pack this host has for the manifest's `workerPackId`, if any. */
  readonly pack: WorkerPackDefinition | undefined;
  /** Provider keys with a working connection. */
  readonly connected: ReadonlySet<string>;
}

const refusal = (message: string, code: string) => ({
  refusal: new ApiError("PLUGBOARD_CONFLICT", message, [{ path: "worker_pack_id", message, code }]),
});

/**
 * The runtime pack to install from, or the 409 to answer. Refused: a disabled plugin, an
 * experimental pack, a pack without a runtime pack on this host, and a pack whose required
 * connection providers are not all connected.
 */
export function checkInstallable(
  candidate: InstallCandidate,
): { readonly pack: WorkerPackDefinition } | { readonly refusal: ApiError } {
  const { manifest, enabled, pack, connected } = candidate;
  if (!enabled) return refusal(`${manifest.id} is disabled`, "plugin_disabled");
  if (manifest.stability === "experimental") {
    return refusal(`${manifest.id} is experimental and cannot be installed`, "experimental");
  }
  if (pack === undefined) {
    return refusal(`this host has no runtime pack ${manifest.workerPackId}`, "no_runtime_pack");
  }
  const missing = manifest.requiredConnectionProviders.filter((key) => !connected.has(key));
  if (missing.length === 0) return { pack };
  const error = new ApiError(
    "PLUGBOARD_CONFLICT",
    `${manifest.id} needs a connection for: ${missing.join(", ")}`,
    missing.map((provider) => ({
      path: "worker_pack_id",
      message: `required connection provider ${provider} is not connected`,
      code: "missing_connection",
    })),
  );
  return { refusal: error };
}
