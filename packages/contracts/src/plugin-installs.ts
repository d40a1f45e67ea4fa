import { ManifestBaseSchema } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { PluginDetailResponseSchema, PluginIdSchema } from "./registry.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/** A manifest version, exactly as the SDK's `version` field declares it. */
const VersionSchema = ManifestBaseSchema.shape.version;

/** An npm package name, optionally scoped: `fax-plugin`, `@acme/fax-plugin`. */
export const PackageNameSchema = z
  .string()
  .max(214)
  .regex(/^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/, {
    error: "expected an npm package name such as fax-plugin or @acme/fax-plugin",
  });

/** A Subresource Integrity string with a SHA-512 digest, as npm lockfiles record it. */
export const Sha512IntegritySchema = z.string().regex(/^sha512-[A-Za-z0-9+/]{86}==$/, {
  error: "expected sha512- followed by the base64 SHA-512 digest of the tarball",
});

/** A package tarball sent with the request, and the digest it must have. */
export const PluginBundleSchema = z.strictObject({
  /** The `.tgz` an `npm pack` writes, base64-encoded. */
  tarball: z.base64({ error: "expected the .tgz package tarball encoded as base64" }),
  integrity: Sha512IntegritySchema,
});
export type PluginBundle = z.infer<typeof PluginBundleSchema>;

/** A package to fetch from the host's npm-compatible registry. */
export const PluginPackageRefSchema = z.strictObject({
  name: PackageNameSchema,
  /** An exact version; ranges are not resolved. */
  version: VersionSchema,
});
export type PluginPackageRef = z.infer<typeof PluginPackageRefSchema>;

/**
 * Installs or upgrades a third-party plugin, from exactly one source: `manifest` (as its
 * author wrote it) with an optional `bundle`, or `package`, whose tarball carries the
 * manifest as `plugboard.manifest.json` at its root. Which fields may go together is
 * checked by the server, so each mistake is reported at its own path.
 */
export const PluginInstallRequestSchema = z.strictObject({
  manifest: z.unknown().optional(),
  bundle: PluginBundleSchema.optional(),
  package: PluginPackageRefSchema.optional(),
});
export type PluginInstallRequest = z.infer<typeof PluginInstallRequestSchema>;

/** A plugin after a change, with the version the change replaced. */
export const PluginChangeResultSchema = PluginDetailResponseSchema.extend({
  /** The version installed before the change; null when the plugin was not installed. */
  replacedVersion: VersionSchema.nullable(),
});
export type PluginChangeResult = z.infer<typeof PluginChangeResultSchema>;

/** Turns a plugin on or off; its installed versions stay as they are. */
export const PluginUpdateRequestSchema = z.strictObject({ enabled: z.boolean() });
export type PluginUpdateRequest = z.infer<typeof PluginUpdateRequestSchema>;

/**
 * Goes back to the version installed before the current one. `fromVersion`, when given,
 * must be the current version, so a repeated request cannot roll back twice.
 */
export const PluginRollbackRequestSchema = z.strictObject({
  fromVersion: VersionSchema.optional(),
});
export type PluginRollbackRequest = z.infer<typeof PluginRollbackRequestSchema>;

/** What an uninstall removed. */
export const PluginUninstallResultSchema = z.strictObject({
  id: PluginIdSchema,
  /** Every version that was kept for rollback, newest first; all are gone now. */
  removedVersions: z.array(VersionSchema),
});
export type PluginUninstallResult = z.infer<typeof PluginUninstallResultSchema>;

export const PluginInstallRequestWireSchema: WireSchema<typeof PluginInstallRequestSchema> =
  toWireSchema(PluginInstallRequestSchema);
export const PluginChangeResultWireSchema: WireSchema<typeof PluginChangeResultSchema> =
  toWireSchema(PluginChangeResultSchema);
export const PluginUpdateRequestWireSchema: WireSchema<typeof PluginUpdateRequestSchema> =
  toWireSchema(PluginUpdateRequestSchema);
export const PluginRollbackRequestWireSchema: WireSchema<typeof PluginRollbackRequestSchema> =
  toWireSchema(PluginRollbackRequestSchema);
export const PluginUninstallResultWireSchema: WireSchema<typeof PluginUninstallResultSchema> =
  toWireSchema(PluginUninstallResultSchema);
