import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  PluginChangeResultWireSchema,
  ProblemDetailsWireSchema,
  RegistryResponseWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNpmRegistry, startLocalNpmRegistry } from "./local-npm-registry.js";
import { bundleOf, integrityOf, packageTarball, tarGz } from "./package-tarball.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import {
  AUDIT_HOOK_ID,
  auditHook,
  crmWorkerPack,
  declarativeHook,
  firstPartyCopy,
  hookCode,
} from "./third-party-manifests.js";

const hookPackage = (version = "1.0.0", extra = {}) =>
  packageTarball({
    name: "@acme/audit-hook",
    version,
    files: { "dist/index.js": hookCode() },
    ...extra,
  });

describe("installing plugins", () => {
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

  const install = (body: unknown) => server.request("POST", "/v1/plugins", { body });
  const pluginsDir = () => join(server.dataDir, "plugins");
  /** Every file and folder under the bundles folder, staging included. */
  const bundleTree = (): string[] =>
    existsSync(pluginsDir())
      ? readdirSync(pluginsDir(), { recursive: true, encoding: "utf8" }).sort()
      : [];

  async function refusal(response: Response, status: number) {
    expect(response.status).toBe(status);
    return ProblemDetailsWireSchema.parse(await response.json());
  }

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

  it("refuses a tampered bundle before reading anything in it, and writes nothing", async () => {
    const before = bundleTree();
    const genuine = hookPackage("3.0.0");
    // Not even gzip: were it read before its digest is checked, it would fail differently.
    const tampered = Buffer.concat([genuine.subarray(0, 20), Buffer.from("../../evil")]);
    const problem = await refusal(
      await install({
        manifest: auditHook("3.0.0", { id: "hook.acme-tampered" }),
        bundle: { tarball: tampered.toString("base64"), integrity: integrityOf(genuine) },
      }),
      422,
    );
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: "bundle.integrity", code: "integrity_mismatch" }),
    ]);
    expect(bundleTree()).toEqual(before);
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

  it("refuses a bundle whose package is off the allowlist", async () => {
    const tarball = packageTarball({
      name: "@other/audit-hook",
      version: "1.0.0",
      files: { "dist/index.js": hookCode() },
    });
    const problem = await refusal(
      await install({
        manifest: auditHook("1.0.0", { id: "hook.other" }),
        bundle: bundleOf(tarball),
      }),
      422,
    );
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: "bundle.tarball", code: "package_not_allowed" }),
    ]);
  });

  it("refuses a manifest whose engines range excludes this host, naming engines.plugboard", async () => {
    const manifest = { ...declarativeHook("hook.acme-next"), engines: { plugboard: "^2.0.0" } };
    const problem = await refusal(await install({ manifest }), 422);
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: "manifest.engines.plugboard", code: "engines_incompatible" }),
    ]);
  });

  it("refuses a worker pack that references a provider no plugin provides", async () => {
    const problem = await refusal(
      await install({ manifest: crmWorkerPack({ requiredConnectionProviders: ["acme_crm"] }) }),
      422,
    );
    expect(problem.errors).toContainEqual(
      expect.objectContaining({
        path: "manifest.requiredConnectionProviders[0]",
        code: "unresolved_reference",
      }),
    );
  });

  it("refuses a worker pack whose workerPackId another pack already uses", async () => {
    const problem = await refusal(
      await install({ manifest: crmWorkerPack({ workerPackId: "follow_up_v1" }) }),
      422,
    );
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ path: "manifest.workerPackId", code: "duplicate_value" }),
    );
  });

  it("refuses an invalid manifest with the path of each problem", async () => {
    const problem = await refusal(
      await install({ manifest: { ...declarativeHook("hook.acme-bad"), timeoutMs: -1 } }),
      422,
    );
    expect(problem.errors).toContainEqual(expect.objectContaining({ path: "manifest.timeoutMs" }));
  });

  it.each([
    ["an entry that climbs out with ..", { path: "package/../../escaped.js", content: "x" }],
    ["an absolute path", { path: "/tmp/plugboard-escaped.js", content: "x" }],
    [
      "a symbolic link",
      { path: "package/dist/link.js", type: "symlink", linkTarget: "/etc/passwd" },
    ],
    [
      "a hard link",
      { path: "package/dist/hard.js", type: "hardlink", linkTarget: "package/../../x" },
    ],
  ] as const)("refuses a bundle with %s and writes nothing", async (_label, entry) => {
    const before = bundleTree();
    const tarball = hookPackage("1.0.0", { extra: [entry] });
    const problem = await refusal(
      await install({
        manifest: auditHook("1.0.0", { id: "hook.acme-escape" }),
        bundle: bundleOf(tarball),
      }),
      422,
    );
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: "bundle.tarball", code: "tarball_unsafe" }),
    ]);
    expect(bundleTree()).toEqual(before);
    expect(existsSync(join(server.dataDir, "..", "escaped.js"))).toBe(false);
  });

  it("refuses an archive whose entries are not inside one top folder", async () => {
    const tarball = tarGz([
      { path: "package.json", content: '{"name":"@acme/x","version":"1.0.0"}' },
    ]);
    const problem = await refusal(
      await install({ manifest: declarativeHook("hook.acme-flat"), bundle: bundleOf(tarball) }),
      422,
    );
    expect(problem.errors[0]).toMatchObject({ path: "bundle.tarball", code: "tarball_unsafe" });
  });

  it("refuses a manifest that differs from the one the package carries, writing nothing", async () => {
    const before = bundleTree();
    const packaged = auditHook("1.0.0", { id: "hook.acme-packaged" });
    const tarball = packageTarball({
      name: "@acme/packaged",
      version: "1.0.0",
      manifest: packaged,
      files: { "dist/index.js": hookCode("hook.acme-packaged") },
    });
    const widened = { ...packaged, permissions: ["network:outbound:collector.evil.example"] };
    const problem = await refusal(
      await install({ manifest: widened, bundle: bundleOf(tarball) }),
      422,
    );
    expect(problem.errors[0]).toMatchObject({ path: "manifest", code: "manifest_mismatch" });
    expect(bundleTree()).toEqual(before);
    // The package's own manifest, in any key order, installs.
    const reordered = Object.fromEntries(Object.entries(packaged).reverse());
    expect((await install({ manifest: reordered, bundle: bundleOf(tarball) })).status).toBe(201);
  });

  it("refuses a module runtime without a bundle, or whose entry file is missing", async () => {
    const missingBundle = await refusal(
      await install({ manifest: auditHook("1.0.0", { id: "hook.acme-nocode" }) }),
      422,
    );
    expect(missingBundle.errors[0]).toMatchObject({ path: "bundle", code: "bundle_required" });
    const tarball = packageTarball({ name: "@acme/empty", version: "1.0.0" });
    const missingEntry = await refusal(
      await install({
        manifest: auditHook("1.0.0", { id: "hook.acme-noentry" }),
        bundle: bundleOf(tarball),
      }),
      422,
    );
    expect(missingEntry.errors[0]).toMatchObject({
      path: "manifest.runtime.entry",
      code: "entry_missing",
    });
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

  it("refuses a request with both a package and a manifest, or with neither", async () => {
    const both = await refusal(
      await install({
        manifest: declarativeHook("hook.x"),
        package: { name: "fax-tools", version: "2.1.0" },
      }),
      422,
    );
    expect(both.errors[0]).toMatchObject({ path: "package", code: "sources_exclusive" });
    const neither = await refusal(await install({}), 422);
    expect(neither.errors[0]).toMatchObject({ path: "manifest", code: "required" });
    const badIntegrity = await refusal(
      await install({
        manifest: declarativeHook("hook.x"),
        bundle: { tarball: "AAAA", integrity: "md5-x" },
      }),
      422,
    );
    expect(badIntegrity.errors.map((error) => error.path)).toContain("bundle.integrity");
  });

  it("refuses to replace a first-party plugin, or to install one as a third party", async () => {
    const replacing = await refusal(
      await install({
        manifest: { ...firstPartyCopy("hook.rate-limit"), owner: "third_party", version: "9.0.0" },
      }),
      409,
    );
    expect(replacing.errors[0]).toMatchObject({ path: "manifest.id", code: "first_party_id" });
    const claiming = await refusal(
      await install({ manifest: { ...declarativeHook("hook.acme-claims"), owner: "first_party" } }),
      422,
    );
    expect(claiming.errors[0]).toMatchObject({ path: "manifest.owner" });
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
