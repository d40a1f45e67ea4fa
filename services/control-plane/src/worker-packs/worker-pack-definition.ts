import { ActionCapabilitySummarySchema, InputRouteSummarySchema } from "@plugboard/contracts";
import {
  InputRouteKindSchema,
  WORKER_PACK_ID,
  WorkerKindSchema,
  WorkerScopeSchema,
  WorkItemKindSchema,
} from "@plugboard/plugin-sdk";
import { z } from "zod";

/**
 * What installing a pack creates: the worker, the input routes opened at install (a subset
 * of the supported ones; others are attached later), and one capability per action kind.
 */
const InstallPlanSchema = z.strictObject({
  defaultWorkerName: z.string().min(1),
  inputRoutes: z.array(InputRouteKindSchema).min(1),
});

/**
 * A runtime worker pack: the behaviour behind a worker-pack manifest. Declared on its own,
 * never built from the manifest, so the alignment check compares two independent sources.
 */
export const WorkerPackDefinitionSchema = z
  .strictObject({
    id: z.string().regex(WORKER_PACK_ID),
    kind: WorkerKindSchema,
    defaultScope: WorkerScopeSchema,
    summary: z.string().min(1),
    systemPrompt: z.string().min(1),
    supportedInputRoutes: z.array(InputRouteSummarySchema).min(1),
    actionCapabilities: z.array(ActionCapabilitySummarySchema),
    outputKinds: z.array(WorkItemKindSchema).min(1),
    installPlan: InstallPlanSchema,
  })
  .superRefine((pack, ctx) => {
    const supported = new Set(pack.supportedInputRoutes.map((route) => route.kind));
    pack.installPlan.inputRoutes.forEach((kind, index) => {
      if (!supported.has(kind)) {
        ctx.addIssue({
          code: "custom",
          path: ["installPlan", "inputRoutes", index],
          message: `route kind "${kind}" is not one of supportedInputRoutes`,
        });
      }
    });
  });

export type WorkerPackDefinition = z.infer<typeof WorkerPackDefinitionSchema>;

/** Checks and returns a runtime worker pack; throws naming the offending field. */
export function defineWorkerPack(definition: WorkerPackDefinition): WorkerPackDefinition {
  const result = WorkerPackDefinitionSchema.safeParse(definition);
  if (!result.success) {
    const detail = result.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    throw new TypeError(`runtime worker pack "${definition.id}" is invalid: ${detail}`);
  }
  return definition;
}
