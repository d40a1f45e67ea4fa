import { z } from "zod";
import { JsonValueSchema as JsonSchema } from "./json-value.js";

/** Metadata a hook writes: one entry, keyed by the writing plugin's id. */
const HookMetadataSchema = z.record(z.string(), JsonSchema);

/**
 * The shape of a value a hook's `run` returns, for hosts that must check what plugin code
 * handed back. Agrees with `HookResult` (a test compiles both directions). Which metadata
 * namespace a hook may write is the host's rule, not the shape's.
 */
export const HookResultSchema = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("passthrough"), metadata: HookMetadataSchema.optional() }),
  z.strictObject({
    action: z.literal("modify"),
    body: JsonSchema.optional(),
    headers: z.record(z.string(), z.string()).optional(),
    metadata: HookMetadataSchema.optional(),
  }),
  z.strictObject({
    action: z.literal("block"),
    status: z.int().min(400).max(599),
    type: z.string().min(1),
    message: z.string(),
  }),
  z.strictObject({
    action: z.literal("respond"),
    status: z.int().min(200).max(599),
    body: JsonSchema,
  }),
]);
