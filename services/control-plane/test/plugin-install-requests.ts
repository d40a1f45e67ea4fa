import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ProblemDetailsWireSchema } from "@plugboard/contracts";
import { expect } from "vitest";
import { packageTarball } from "./package-tarball.js";
import type { RunningControlPlane } from "./running-control-plane.js";
import { hookCode } from "./third-party-manifests.js";

/** The audit hook's package, as a tarball: its code at `dist/index.js`. */
export const hookPackage = (version = "1.0.0", extra = {}) =>
  packageTarball({
    name: "@acme/audit-hook",
    version,
    files: { "dist/index.js": hookCode() },
    ...extra,
  });

/** Install requests to a running control plane, and what they left in its data directory. */
export function installRequests(server: () => RunningControlPlane) {
  const pluginsDir = () => join(server().dataDir, "plugins");
  return {
    install: (body: unknown) => server().request("POST", "/v1/plugins", { body }),
    pluginsDir,
    /** Every file and folder under the bundles folder, staging included. */
    bundleTree: (): string[] =>
      existsSync(pluginsDir())
        ? readdirSync(pluginsDir(), { recursive: true, encoding: "utf8" }).sort()
        : [],
    async refusal(response: Response, status: number) {
      expect(response.status).toBe(status);
      return ProblemDetailsWireSchema.parse(await response.json());
    },
  };
}
