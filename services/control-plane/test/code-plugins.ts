import { PluginChangeResultWireSchema, PluginHealthResponseWireSchema } from "@plugboard/contracts";
import { expect } from "vitest";
import { bundleOf, packageTarball } from "./package-tarball.js";
import type { RunningControlPlane } from "./running-control-plane.js";

/** The allowlist setting code-plugin tests start the control plane with. */
export const ACME_ALLOWLIST = { PLUGBOARD_INSTALL_ALLOWLIST: "@acme/*" } as const;

/** A third-party hook with a module runtime, in `ring`. */
export function codeHook(
  id: string,
  version: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    kind: "hook",
    id,
    version,
    displayName: `Acme ${id}`,
    description: "A hook written for a test.",
    owner: "third_party",
    stability: "experimental",
    category: "gateway",
    engines: { plugboard: "^1.0.0" },
    ring: "ingress",
    priority: 100,
    timeoutMs: 500,
    failMode: "open",
    runtime: { type: "module", entry: "dist/plugin.js" },
    ...fields,
  };
}

/** A plugin bundle as an author's bundler writes it: `setupBody` is the body of `setup(ctx)`. */
export function pluginModule(id: string, setupBody: string): string {
  return `export default {\n  manifest: { id: ${JSON.stringify(id)} },\n  async setup(ctx) {\n${setupBody}\n  },\n};\n`;
}

/** Installs (or upgrades) a code plugin from a package tarball; returns the response. */
export function installCodePlugin(
  server: RunningControlPlane,
  manifest: Record<string, unknown>,
  source: string,
): Promise<Response> {
  const name = `@acme/${String(manifest.id).replaceAll(".", "-")}`;
  const tarball = packageTarball({
    name,
    version: String(manifest.version),
    files: { "dist/plugin.js": source },
  });
  return server.request("POST", "/v1/plugins", { body: { manifest, bundle: bundleOf(tarball) } });
}

/** Installs a code plugin that must install, and returns the change result. */
export async function installedCodePlugin(
  server: RunningControlPlane,
  manifest: Record<string, unknown>,
  source: string,
) {
  const response = await installCodePlugin(server, manifest, source);
  expect(response.status, await response.clone().text()).toBe(201);
  return PluginChangeResultWireSchema.parse(await response.json());
}

/** A plugin's runtime as GET /v1/plugins/{id}/health shows it. */
export async function pluginRuntime(server: RunningControlPlane, id: string) {
  const response = await server.request("GET", `/v1/plugins/${id}/health`);
  expect(response.status).toBe(200);
  return PluginHealthResponseWireSchema.parse(await response.json()).runtime;
}

/** Polls `check` every 20 ms until it holds, failing after `timeoutMs` with `what`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
