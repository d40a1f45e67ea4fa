import { z } from "zod";
import { IssueSchema, RegistryProblemSchema } from "./issue.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/**
 * A manifest to check without installing it. The manifest travels as its author wrote it
 * (the camelCase manifest format of the published manifest JSON Schema), so issue paths
 * point into the author's own file. Checking never contacts a host the manifest names.
 */
export const ManifestValidationRequestSchema = z.strictObject({
  manifest: z.unknown(),
});
export type ManifestValidationRequest = z.infer<typeof ManifestValidationRequestSchema>;

/**
 * The verdict: `issues` are problems inside the manifest (schema and kind rules);
 * `problems` are problems it has with the installed registry (unresolved references,
 * duplicate ids). `valid` is true exactly when both are empty.
 */
export const ManifestValidationResultSchema = z.strictObject({
  valid: z.boolean(),
  issues: z.array(IssueSchema),
  problems: z.array(RegistryProblemSchema),
});
export type ManifestValidationResult = z.infer<typeof ManifestValidationResultSchema>;

export const ManifestValidationRequestWireSchema: WireSchema<
  typeof ManifestValidationRequestSchema
> = toWireSchema(ManifestValidationRequestSchema);
export const ManifestValidationResultWireSchema: WireSchema<typeof ManifestValidationResultSchema> =
  toWireSchema(ManifestValidationResultSchema);
