import { z } from "zod";
import { IssueSchema } from "./issue.js";
import { PluginIdSchema } from "./registry.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/** A manifest with an HTTP runtime to check, as its author wrote it (camelCase). */
export const HttpRuntimeValidationRequestSchema = z.strictObject({
  manifest: z.unknown(),
});

/**
 * `issues` make the manifest invalid (schema, kind and egress rules, which refuse any
 * operation URL that is not https); `warnings` are allowed but suspicious (domains no
 * operation uses, a sending channel without `get_status` or whose send maps no `job_id`,
 * operations without a timeout). `valid` is true exactly when `issues` is empty.
 */
export const HttpRuntimeValidationResultSchema = z.strictObject({
  valid: z.boolean(),
  issues: z.array(IssueSchema),
  warnings: z.array(IssueSchema),
});
export type HttpRuntimeValidationResult = z.infer<typeof HttpRuntimeValidationResultSchema>;

/**
 * A dry run of one operation: of an installed plugin (its manifest and config), or of a
 * manifest given here (with `config`, or its defaults). Secret values are never read or
 * shown; each appears as `«secret:<key>»`.
 */
export const HttpRenderRequestSchema = z.strictObject({
  pluginId: PluginIdSchema.optional(),
  manifest: z.unknown().optional(),
  operation: z.string().min(1).max(100),
  /**
   * The operation's input, which `{{ input.<name> }}` placeholders read; none when left out.
   * For a channel's operations it is what they take on the wire (`ChannelOperationInputs`):
   * the `input` of a send, `{ job_id }` for `get_status`.
   */
  input: z.record(z.string(), z.json()).optional(),
  config: z.record(z.string(), z.json()).optional(),
});
export type HttpRenderRequest = z.infer<typeof HttpRenderRequestSchema>;

/** The exact request the operation would send; nothing was sent. */
export const HttpRenderResultSchema = z.strictObject({
  operation: z.string(),
  request: z.strictObject({
    method: z.string(),
    url: z.string(),
    /** Header names as they would be sent, lower-case. */
    headers: z.record(z.string(), z.string()),
    body: z.string().nullable(),
    timeoutMs: z.int().nullable(),
  }),
  warnings: z.array(IssueSchema),
});
export type HttpRenderResult = z.infer<typeof HttpRenderResultSchema>;

export const HttpRuntimeValidationResultWireSchema: WireSchema<
  typeof HttpRuntimeValidationResultSchema
> = toWireSchema(HttpRuntimeValidationResultSchema);
export const HttpRenderResultWireSchema: WireSchema<typeof HttpRenderResultSchema> =
  toWireSchema(HttpRenderResultSchema);
