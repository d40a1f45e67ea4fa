import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleOf, integrityOf, packageTarball, tarGz } from "./package-tarball.js";
import { hookPackage, installRequests } from "./plugin-install-requests.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import {
  auditHook,
  crmWorkerPack,
  declarativeHook,
  firstPartyCopy,
  hookCode,
} from "./third-party-manifests.js";

describe("refusing a plugin install, writing nothing", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("plugin-install-refusals", {
      PLUGBOARD_INSTALL_ALLOWLIST: "@acme/*,fax-tools",
    });
  });
  afterAll(() => server.stop());

  const { install, bundleTree, refusal } = installRequests(() => server);

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
});
