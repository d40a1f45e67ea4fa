import { SecretKeySchema } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { PluginIdSchema } from "./registry.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/** The longest secret value the API stores, in characters. */
export const MAX_SECRET_VALUE_LENGTH = 65_536;

/**
 * Secret values to store, by the names of the manifest's `secretKeys`; null deletes a stored
 * value. Names not given keep what is stored. Values are write-only: no response carries one.
 */
export const SecretsWriteRequestSchema = z.strictObject({
  secrets: z.record(SecretKeySchema, z.string().min(1).max(MAX_SECRET_VALUE_LENGTH).nullable()),
});
export type SecretsWriteRequest = z.infer<typeof SecretsWriteRequestSchema>;

/** Whether one of the manifest's secret keys has a stored value; never the value. */
export const SecretStatusSchema = z.strictObject({
  key: SecretKeySchema,
  set: z.boolean(),
  /** When the value was last stored; null when none is. */
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type SecretStatus = z.infer<typeof SecretStatusSchema>;

/** Every secret key the plugin's manifest declares, in manifest order. */
export const PluginSecretsResponseSchema = z.strictObject({
  pluginId: PluginIdSchema,
  secrets: z.array(SecretStatusSchema),
});
export type PluginSecretsResponse = z.infer<typeof PluginSecretsResponseSchema>;

export const SecretsWriteRequestWireSchema: WireSchema<typeof SecretsWriteRequestSchema> =
  toWireSchema(SecretsWriteRequestSchema);
export const PluginSecretsResponseWireSchema: WireSchema<typeof PluginSecretsResponseSchema> =
  toWireSchema(PluginSecretsResponseSchema);
