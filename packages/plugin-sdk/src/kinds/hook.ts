import { z } from "zod";
import { kindIdPattern } from "../grammar.js";
import { ModuleRuntimeSchema } from "../runtimes/module-runtime.js";
import { FailModeSchema, HookRingSchema } from "../vocabulary.js";
import { defineKind, type KindProblem } from "./define-kind.js";

export const HOOK_ID = kindIdPattern("hook", 1);
const HookIdSchema = z
  .string()
  .regex(HOOK_ID, { error: "expected a hook id of the form hook.<name>" });

/** A request hook run in a ring, ordered by priority, with a timeout and a fail mode. */
export const hookKind = defineKind({
  name: "hook",
  idPattern: HOOK_ID,
  idConvention: "hook.<name>",
  fields: {
    ring: HookRingSchema,
    priority: z.int().min(0).max(10_000),
    timeoutMs: z.int().min(1).max(30_000),
    failMode: FailModeSchema,
    /** Hooks (of the same ring) this hook must run before. */
    before: z.array(HookIdSchema).optional(),
    /** Hooks (of the same ring) this hook must run after. */
    after: z.array(HookIdSchema).optional(),
    runtime: ModuleRuntimeSchema.optional(),
  },
  check: (m) => {
    const problems: KindProblem[] = [];
    for (const field of ["before", "after"] as const) {
      (m[field] ?? []).forEach((other, index) => {
        if (other === m.id) {
          problems.push({
            path: `${field}[${index}]`,
            code: "hook_order_self",
            message: "a hook cannot be ordered relative to itself",
          });
        }
      });
    }
    return problems;
  },
});
