import { z } from "zod";
import { PluginIdSchema } from "./registry.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/**
 * A plugin's settings, keyed by the property names of its `configSchema`. The names are the
 * plugin's own data: they cross the wire exactly as the manifest spells them (`maxRequests`
 * stays `maxRequests`), unlike the API's own fields.
 */
export const ConfigValuesSchema = z.record(z.string(), z.json());
export type ConfigValues = z.infer<typeof ConfigValuesSchema>;

const TimestampSchema = z.iso.datetime({ offset: true });

/**
 * A plugin's current config. `revision` is 0 before the first write; the response's ETag
 * header carries the same number, to be sent back as `If-Match` with the next change.
 */
export const PluginConfigSchema = z.strictObject({
  pluginId: PluginIdSchema,
  revision: z.int().min(0),
  config: ConfigValuesSchema,
  /** When the current revision was written; null before the first write. */
  updatedAt: TimestampSchema.nullable(),
  /** The token id that wrote the current revision; null before the first write. */
  updatedBy: z.string().min(1).nullable(),
  /** The revision the current one restored, when a rollback wrote it. */
  restoredFrom: z.int().min(1).nullable(),
});
export type PluginConfig = z.infer<typeof PluginConfigSchema>;

/** A new config; it replaces the current one as a whole and becomes the next revision. */
export const ConfigWriteRequestSchema = z.strictObject({ config: ConfigValuesSchema });
export type ConfigWriteRequest = z.infer<typeof ConfigWriteRequestSchema>;

/** One stored revision of a plugin's config. */
export const ConfigRevisionSchema = z.strictObject({
  revision: z.int().min(1),
  config: ConfigValuesSchema,
  createdAt: TimestampSchema,
  createdBy: z.string().min(1),
  restoredFrom: z.int().min(1).nullable(),
});
export type ConfigRevision = z.infer<typeof ConfigRevisionSchema>;

/** Every revision of a plugin's config, newest first. */
export const ConfigRevisionListResponseSchema = z.strictObject({
  pluginId: PluginIdSchema,
  revisions: z.array(ConfigRevisionSchema),
});
export type ConfigRevisionListResponse = z.infer<typeof ConfigRevisionListResponseSchema>;

/** The revision whose config a rollback writes again, as a new revision. */
export const ConfigRollbackRequestSchema = z.strictObject({ revision: z.int().min(1) });
export type ConfigRollbackRequest = z.infer<typeof ConfigRollbackRequestSchema>;

export const PluginConfigWireSchema: WireSchema<typeof PluginConfigSchema> =
  toWireSchema(PluginConfigSchema);
export const ConfigWriteRequestWireSchema: WireSchema<typeof ConfigWriteRequestSchema> =
  toWireSchema(ConfigWriteRequestSchema);
export const ConfigRevisionListResponseWireSchema: WireSchema<
  typeof ConfigRevisionListResponseSchema
> = toWireSchema(ConfigRevisionListResponseSchema);
