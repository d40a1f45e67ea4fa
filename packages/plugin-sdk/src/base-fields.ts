import { z } from "zod";
import { ConfigSchemaSchema, UiSchemaSchema } from "./config-schema.js";
import { SECRET_KEY, SEMVER, SEMVER_RANGE } from "./grammar.js";
import { PermissionStringSchema } from "./permissions.js";
import { SetupStepSchema } from "./setup-steps.js";
import { PluginCategorySchema, PluginOwnerSchema, PluginStabilitySchema } from "./vocabulary.js";

export const SecretKeySchema = z.string().regex(SECRET_KEY, {
  error: "expected a secret name of letters, digits and underscores, such as google_client_id",
});

export const EnginesSchema = z.strictObject({
  plugboard: z.string().regex(SEMVER_RANGE, {
    error: "expected a semver range such as ^1.0.0",
  }),
});
export type Engines = z.infer<typeof EnginesSchema>;

/**
 * The fields every manifest kind carries. `defineKind` adds `kind` and `id` and the kind's
 * own fields; a kind may tighten a base field (for example make `setupSteps` required).
 */
export const baseFields = {
  /** Lets JSON and YAML authors point editors at the published JSON Schema. */
  $schema: z.string().optional(),
  version: z.string().regex(SEMVER, { error: "expected a semver version such as 1.0.0" }),
  displayName: z.string().min(1).max(80),
  description: z.string().min(1).max(500),
  owner: PluginOwnerSchema,
  stability: PluginStabilitySchema,
  category: PluginCategorySchema.optional(),
  priority: z.int().min(0).max(10_000).optional(),
  tags: z.array(z.string().min(1)).optional(),
  engines: EnginesSchema,
  permissions: z.array(PermissionStringSchema).optional(),
  configSchema: ConfigSchemaSchema.optional(),
  uiSchema: UiSchemaSchema.optional(),
  secretKeys: z.array(SecretKeySchema).optional(),
  setupSteps: z.array(SetupStepSchema).optional(),
  docsHref: z.string().min(1).optional(),
  recoveryHints: z.array(z.string().min(1)).optional(),
};
export type BaseFields = typeof baseFields;

/** The base fields as one schema, for hosts that read only what all kinds share. */
export const ManifestBaseSchema = z.object({
  kind: z.string(),
  id: z.string(),
  ...baseFields,
});
export type ManifestBase = z.infer<typeof ManifestBaseSchema>;
