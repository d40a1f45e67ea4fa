import type { Issue } from "@plugboard/contracts";
import type { ConfigSchema, ConfigValue } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { validateConfig } from "../plugin-config/config-validation.js";

/** A plugin's settings as it runs with them, or why it cannot run. */
export type EffectiveConfig =
  | { readonly valid: true; readonly config: Readonly<Record<string, ConfigValue>> }
  | { readonly valid: false; readonly issues: readonly Issue[] };

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
/** The values a `configSchema` can describe: scalars and arrays of them. */
const ConfigValueSchema = z.union([Scalar, z.array(Scalar)]);

/**
 * The settings a plugin runs with: its stored config with each unset property's `default`
 * filled in, checked against its `configSchema`. A plugin without a schema runs with none.
 * A required setting with no default and no value keeps the plugin from running; the issue
 * names it (`config.senderNumber`).
 */
export function effectiveConfig(
  schema: ConfigSchema | undefined,
  stored: Readonly<Record<string, unknown>> | undefined,
): EffectiveConfig {
  if (schema === undefined) return { valid: true, config: {} };
  const merged: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    if (property.default !== undefined) merged[key] = property.default;
  }
  Object.assign(merged, stored ?? {});
  const issues = validateConfig(schema, merged);
  if (issues.length > 0) return { valid: false, issues };
  const config: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(merged)) {
    const parsed = ConfigValueSchema.safeParse(value);
    if (!parsed.success) {
      return {
        valid: false,
        issues: [
          { path: `config.${key}`, code: "invalid_type", message: "expected a scalar or a list" },
        ],
      };
    }
    config[key] = parsed.data;
  }
  return { valid: true, config };
}
