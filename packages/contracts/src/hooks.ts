import { FailModeSchema, HOOK_RINGS, type HookRing, hookKind } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { toWireSchema, type WireSchema } from "./wire-case.js";

const HookIdSchema = hookKind.schema.shape.id;

/** One hook at its place in a ring, with what decided the place. */
export const OrderedHookSchema = z.strictObject({
  id: HookIdSchema,
  version: hookKind.schema.shape.version,
  priority: z.int(),
  timeoutMs: z.int().min(1),
  failMode: FailModeSchema,
  before: z.array(HookIdSchema),
  after: z.array(HookIdSchema),
});
export type OrderedHook = z.infer<typeof OrderedHookSchema>;

const RingsSchema = z.strictObject(
  Object.fromEntries(HOOK_RINGS.map((ring) => [ring, z.array(OrderedHookSchema)])) as Record<
    HookRing,
    z.ZodArray<typeof OrderedHookSchema>
  >,
);

/**
 * The hooks of every ring in the order the running pipeline calls them: priority, then id,
 * then constraints. Only hooks that run (or should run and fail, by their fail mode) are listed.
 */
export const HookOrderResponseSchema = z.strictObject({ rings: RingsSchema });
export type HookOrderResponse = z.infer<typeof HookOrderResponseSchema>;

export const HookOrderResponseWireSchema: WireSchema<typeof HookOrderResponseSchema> =
  toWireSchema(HookOrderResponseSchema);
