import { SetupStepSchema } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { PluginIdSchema, PluginKindSchema } from "./registry.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

export const SETUP_STEP_STATUSES = ["done", "pending"] as const;
export const SetupStepStatusSchema = z.enum(SETUP_STEP_STATUSES);
export type SetupStepStatus = z.infer<typeof SetupStepStatusSchema>;

/**
 * Where a step's status comes from: `evaluator` when the host computes it from what is
 * stored (secrets, connections, workers, config), `manual` when an operator ticks it off.
 */
export const SETUP_STEP_SOURCES = ["evaluator", "manual"] as const;
export const SetupStepSourceSchema = z.enum(SETUP_STEP_SOURCES);
export type SetupStepSource = z.infer<typeof SetupStepSourceSchema>;

/** A setup step of a manifest with its status on this host. */
export const SetupStepProgressSchema = z.strictObject({
  ...SetupStepSchema.shape,
  status: SetupStepStatusSchema,
  source: SetupStepSourceSchema,
  /** When an operator last marked a manual step; null for evaluated or untouched steps. */
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
  /** The token id that last marked a manual step; null for evaluated or untouched steps. */
  updatedBy: z.string().min(1).nullable(),
});
export type SetupStepProgress = z.infer<typeof SetupStepProgressSchema>;

/** One plugin's setup steps, in manifest order, and how many are done. */
export const PluginSetupSchema = z.strictObject({
  pluginId: PluginIdSchema,
  kind: PluginKindSchema,
  displayName: z.string().min(1),
  enabled: z.boolean(),
  completed: z.int().min(0),
  total: z.int().min(0),
  steps: z.array(SetupStepProgressSchema),
});
export type PluginSetup = z.infer<typeof PluginSetupSchema>;

/** The setup of every plugin that declares setup steps, sorted by plugin id. */
export const SetupListResponseSchema = z.strictObject({ plugins: z.array(PluginSetupSchema) });
export type SetupListResponse = z.infer<typeof SetupListResponseSchema>;

/**
 * A manual step: `/v1/setup/{plugin}/{step}`. The placeholders are single words because path
 * parameters are wire names, and a camelCase name would not survive the snake_case mapping.
 */
export const SetupStepParamsSchema = z.strictObject({
  plugin: PluginIdSchema,
  step: SetupStepSchema.shape.id,
});
export type SetupStepParams = z.infer<typeof SetupStepParamsSchema>;

export const SetupMarkRequestSchema = z.strictObject({ done: z.boolean() });
export type SetupMarkRequest = z.infer<typeof SetupMarkRequestSchema>;

export const SetupListResponseWireSchema: WireSchema<typeof SetupListResponseSchema> =
  toWireSchema(SetupListResponseSchema);
export const PluginSetupWireSchema: WireSchema<typeof PluginSetupSchema> =
  toWireSchema(PluginSetupSchema);
