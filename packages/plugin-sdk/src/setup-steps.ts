import { z } from "zod";
import { KEBAB_SEGMENT, SNAKE_CASE } from "./grammar.js";
import { SetupSurfaceSchema } from "./vocabulary.js";

/** Where a setup step's call to action leads in the console. */
export const SetupSurfaceTargetSchema = z.strictObject({
  surface: SetupSurfaceSchema,
  focus: z.string().min(1).optional(),
  workerKind: z
    .string()
    .regex(SNAKE_CASE, { error: "expected a snake_case worker kind" })
    .optional(),
});
export type SetupSurfaceTarget = z.infer<typeof SetupSurfaceTargetSchema>;

/** One ordered instruction an operator follows to get a plugin working. */
export const SetupStepSchema = z.strictObject({
  id: z.string().regex(KEBAB_SEGMENT, {
    error: "expected a kebab-case step id such as gmail-credentials",
  }),
  title: z.string().min(1),
  description: z.string().min(1),
  ctaLabel: z.string().min(1),
  operatorOnly: z.boolean().optional(),
  docsHref: z.string().min(1).optional(),
  target: SetupSurfaceTargetSchema.optional(),
});
export type SetupStep = z.infer<typeof SetupStepSchema>;
