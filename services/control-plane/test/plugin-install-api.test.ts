import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PluginChangeResultWireSchema, RegistryResponseWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNpmRegistry, startLocalNpmRegistry } from "./local-npm-registry.js";
import { bundleOf, integrityOf, packageTarball } from "./package-tarball.js";
import { hookPackage, installRequests } from "./plugin-install-requests.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { AUDIT_HOOK_ID, auditHook, declarativeHook, hookCode } from "./third-party-manifests.js";

describe("installing plugins from a bundle or a registry package", () => {
  let registry: LocalNpmRegistry;
  let server: RunningControlPlane;
  beforeAll(async () => {
    registry = await startLocalNpmRegistry();
    server = await startControlPlane("plugin-install", {
      PLUGBOARD_INSTALL_ALLOWLIST: "@acme/*,fax-tools",
      PLUGBOARD_NPM_REGISTRY: registry.url,
    });
  });
  afterAll(async () => {
    await server.stop();
    await registry.close();
  });

  const { install, pluginsDir, bundleTree, refusal } = installRequests(() => server);

  it("installs a plugin from a manifest and a bundle, unpacking the bundle into the data directory", async () => {
    const tarball = hookPackage();
    const response = await install({ manifest: auditHook(), bundle: bundleOf(tarball) });
    expect(response.status).toBe(201);
    const result = PluginChangeResultWireSchema.parse(await response.json());
    expect(result.plugin.id).toBe(AUDIT_HOOK_ID);
    expect(result.plugin.installation).toMatchObject({ installed_version: "1.0.0", enabled: true });
    expect(result.replaced_version).toBeNull();
    expect(result.versions).toEqual([
      expect.objectContaining({ version: "1.0.0", installed: true }),
    ]);

    const hash = Buffer.from(integrityOf(tarball).slice(7), "base64").toString("hex").slice(0, 12);
    const entry = join(pluginsDir(), AUDIT_HOOK_ID, `1.0.0-${hash}`, "dist", "index.js");
    expect(readFileSync(entry, "utf8")).toBe(hookCode());
    const detail = await server.request("GET", `/v1/plugins/${AUDIT_HOOK_ID}`);
    expect(detail.status).toBe(200);
  });

  it("installs a plugin by package name and version from the npm registry", async () => {
    const manifest = declarativeHook("hook.acme-fax-log", "2.1.0");
    registry.publish(
      "fax-tools",
      "2.1.0",
      packageTarball({
        name: "fax-tools",
        version: "2.1.0",
        manifest,
        files: { "README.md": "hi" },
      }),
    );
    const response = await install({ package: { name: "fax-tools", version: "2.1.0" } });
    expect(response.status).toBe(201);
    const result = PluginChangeResultWireSchema.parse(await response.json());
    expect(result.plugin).toMatchObject({ id: "hook.acme-fax-log", version: "2.1.0" });
    expect(registry.requests).toEqual(["/fax-tools", "/fax-tools/-/fax-tools-2.1.0.tgz"]);
    const [folder] = readdirSync(join(pluginsDir(), "hook.acme-fax-log"));
    expect(folder).toMatch(/^2\.1\.0-[0-9a-f]{12}$/);
    expect(
      readFileSync(join(pluginsDir(), "hook.acme-fax-log", folder ?? "", "README.md"), "utf8"),
    ).toBe("hi");
  });

  it("installs a scoped package, asking the registry for @scope%2fname", async () => {
    const manifest = declarativeHook("hook.acme-scoped", "0.1.0");
    registry.publish(
      "@acme/scoped-hook",
      "0.1.0",
      packageTarball({ name: "@acme/scoped-hook", version: "0.1.0", manifest }),
    );
    const response = await install({ package: { name: "@acme/scoped-hook", version: "0.1.0" } });
    expect(response.status).toBe(201);
    expect(registry.requests).toContain("/@acme/scoped-hook");
  });

  it("installs a manifest without a bundle when it has no module runtime", async () => {
    const response = await install({ manifest: declarativeHook("hook.acme-plain") });
    expect(response.status).toBe(201);
    expect(existsSync(join(pluginsDir(), "hook.acme-plain"))).toBe(false);
  });

  it("refuses a tampered tarball from the registry, and writes nothing", async () => {
    const before = bundleTree();
    const manifest = declarativeHook("hook.acme-swapped", "1.0.0");
    const genuine = packageTarball({ name: "@acme/swapped", version: "1.0.0", manifest });
    const swapped = packageTarball({
      name: "@acme/swapped",
      version: "1.0.0",
      manifest,
      files: { "dist/backdoor.js": "steal()" },
    });
    registry.publish("@acme/swapped", "1.0.0", swapped, { integrity: integrityOf(genuine) });
    const problem = await refusal(
      await install({ package: { name: "@acme/swapped", version: "1.0.0" } }),
      422,
    );
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: "package", code: "integrity_mismatch" }),
    ]);
    expect(bundleTree()).toEqual(before);
    expect((await server.request("GET", "/v1/plugins/hook.acme-swapped")).status).toBe(404);
  });

  it("refuses a package off the allowlist before downloading anything", async () => {
    registry.publish(
      "left-pad-hook",
      "1.0.0",
      packageTarball({
        name: "left-pad-hook",
        version: "1.0.0",
        manifest: declarativeHook("hook.pad"),
      }),
    );
    const problem = await refusal(
      await install({ package: { name: "left-pad-hook", version: "1.0.0" } }),
      422,
    );
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: "package.name", code: "package_not_allowed" }),
    ]);
    expect(registry.requests.some((path) => path.includes("left-pad-hook"))).toBe(false);
  });

  it("refuses a registry package without plugboard.manifest.json, or with another name inside", async () => {
    registry.publish(
      "@acme/no-manifest",
      "1.0.0",
      packageTarball({ name: "@acme/no-manifest", version: "1.0.0" }),
    );
    const noManifest = await refusal(
      await install({ package: { name: "@acme/no-manifest", version: "1.0.0" } }),
      422,
    );
    expect(noManifest.errors[0]).toMatchObject({ path: "package", code: "manifest_missing" });
    registry.publish(
      "@acme/imposter",
      "1.0.0",
      packageTarball({
        name: "@acme/real",
        version: "1.0.0",
        manifest: declarativeHook("hook.imp"),
      }),
    );
    const imposter = await refusal(
      await install({ package: { name: "@acme/imposter", version: "1.0.0" } }),
      422,
    );
    expect(imposter.errors[0]).toMatchObject({ path: "package", code: "package_mismatch" });
  });

  it("refuses a package or version the registry does not have", async () => {
    const noPackage = await refusal(
      await install({ package: { name: "@acme/nowhere", version: "1.0.0" } }),
      422,
    );
    expect(noPackage.errors[0]).toMatchObject({ path: "package.name", code: "package_not_found" });
    const noVersion = await refusal(
      await install({ package: { name: "fax-tools", version: "9.9.9" } }),
      422,
    );
    expect(noVersion.errors[0]).toMatchObject({
      path: "package.version",
      code: "package_not_found",
    });
  });

  it("keeps every installed plugin across a restart", async () => {
    const entries = async () => {
      const registry = RegistryResponseWireSchema.parse(
        await (await server.request("GET", "/v1/registry")).json(),
      );
      return Object.values(registry.kinds)
        .flat()
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    };
    const before = await entries();
    expect(before.map((entry) => entry.id)).toContain(AUDIT_HOOK_ID);
    await server.restart();
    expect(await entries()).toEqual(before);
    expect(bundleTree().some((path) => path.endsWith(join("dist", "index.js")))).toBe(true);
  });

  it("requires admin:plugins:write to install", async () => {
    const created = await server.request("POST", "/v1/tokens", {
      body: { name: "reader", scopes: ["admin:plugins:read"] },
    });
    const { token } = (await created.json()) as { token: string };
    const body = { manifest: declarativeHook("hook.acme-denied") };
    expect((await server.request("POST", "/v1/plugins", { body, token: null })).status).toBe(401);
    expect((await server.request("POST", "/v1/plugins", { body, token })).status).toBe(403);
    expect((await server.request("GET", "/v1/plugins/hook.acme-denied")).status).toBe(404);
  });
});
