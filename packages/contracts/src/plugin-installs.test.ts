import { describe, expect, it } from "vitest";
import { installPluginRoute, rollbackPluginRoute } from "./plugin-install-routes.js";
import { PackageNameSchema, PluginInstallRequestSchema } from "./plugin-installs.js";
import { safeParseWire } from "./wire-case.js";

const integrity = `sha512-${"A".repeat(86)}==`;

describe("plugin install contracts", () => {
  it("reads a manifest as its author wrote it, keys untouched", () => {
    const manifest = { kind: "hook", timeoutMs: 50, engines: { plugboard: "^1.0.0" } };
    const result = safeParseWire(PluginInstallRequestSchema, { manifest });
    expect(result.success && result.data.manifest).toEqual(manifest);
  });

  it("names the field of a bad bundle or package", () => {
    const bad = installPluginRoute.wire.body.safeParse({
      bundle: { tarball: "not base64!", integrity: "sha1-abc" },
      package: { name: "Not A Name", version: "^1.0.0" },
    });
    expect(bad.success ? [] : bad.error.issues.map((issue) => issue.path.join("."))).toEqual([
      "bundle.tarball",
      "bundle.integrity",
      "package.name",
      "package.version",
    ]);
    expect(
      installPluginRoute.wire.body.safeParse({ bundle: { tarball: "AAAA", integrity } }).success,
    ).toBe(true);
  });

  it("spells the rollback guard from_version on the wire", () => {
    expect(rollbackPluginRoute.wire.body.safeParse({ from_version: "1.0.0" }).success).toBe(true);
    expect(rollbackPluginRoute.wire.body.safeParse({ fromVersion: "1.0.0" }).success).toBe(false);
  });

  it("accepts npm package names, scoped or not, and nothing else", () => {
    for (const name of ["fax-tools", "@acme/fax-tools", "a.b_c~d"]) {
      expect(PackageNameSchema.safeParse(name).success, name).toBe(true);
    }
    for (const name of ["Fax", "@acme", "@acme/", "../x", "a b", "@a/b/c"]) {
      expect(PackageNameSchema.safeParse(name).success, name).toBe(false);
    }
  });
});
