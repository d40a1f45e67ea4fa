import { z } from "zod";
import { CONFIG_KEY } from "./grammar.js";
import { UiWidgetSchema } from "./vocabulary.js";

const JsonPrimitiveSchema = z.union([z.string(), z.number(), z.boolean()]);

const ConfigItemsSchema = z.strictObject({
  type: z.enum(["string", "number", "integer", "boolean"]),
  enum: z.array(JsonPrimitiveSchema).min(1).optional(),
});

/** One non-secret setting, described in the JSON Schema subset the console renders. */
export const ConfigPropertySchema = z.strictObject({
  type: z.enum(["string", "number", "integer", "boolean", "array"]),
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  default: z.union([JsonPrimitiveSchema, z.array(JsonPrimitiveSchema)]).optional(),
  enum: z.array(JsonPrimitiveSchema).min(1).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  minLength: z.int().min(0).optional(),
  maxLength: z.int().min(0).optional(),
  pattern: z.string().optional(),
  format: z.enum(["uri", "email", "hostname", "date-time"]).optional(),
  items: ConfigItemsSchema.optional(),
  minItems: z.int().min(0).optional(),
  maxItems: z.int().min(0).optional(),
});
export type ConfigProperty = z.infer<typeof ConfigPropertySchema>;

/**
 * The JSON Schema of a plugin's non-secret settings: an object of flat properties.
 * Secrets never go here; they are named in `secretKeys`.
 */
export const ConfigSchemaSchema = z.strictObject({
  type: z.literal("object"),
  properties: z.record(z.string().regex(CONFIG_KEY), ConfigPropertySchema),
  required: z.array(z.string().regex(CONFIG_KEY)).optional(),
  additionalProperties: z.boolean().optional(),
});
export type ConfigSchema = z.infer<typeof ConfigSchemaSchema>;

/** How the console renders one setting. */
export const UiHintSchema = z.strictObject({
  widget: UiWidgetSchema,
  label: z.string().min(1).optional(),
  help: z.string().optional(),
  placeholder: z.string().optional(),
  options: z
    .array(z.strictObject({ value: JsonPrimitiveSchema, label: z.string().min(1) }))
    .min(1)
    .optional(),
});
export type UiHint = z.infer<typeof UiHintSchema>;

/** Rendering hints keyed by the property names of `configSchema`. */
export const UiSchemaSchema = z.record(z.string().regex(CONFIG_KEY), UiHintSchema);
export type UiSchema = z.infer<typeof UiSchemaSchema>;
