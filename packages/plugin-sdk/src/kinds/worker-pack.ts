import { z } from "zod";
import { kindIdPattern, WORKER_PACK_ID } from "../grammar.js";
import {
  ActionKindSchema,
  InputRouteKindSchema,
  ProviderKeySchema,
  WorkerKindSchema,
  WorkItemKindSchema,
} from "../open-vocabulary.js";
import { ModuleRuntimeSchema } from "../runtimes/module-runtime.js";
import { SetupStepSchema } from "../setup-steps.js";
import { WorkerScopeSchema } from "../vocabulary.js";
import { defineKind } from "./define-kind.js";
import { listLinks } from "./kind-links.js";

/** An installable worker template; its behaviour lives in a runtime pack with `workerPackId`. */
export const workerPackKind = defineKind({
  name: "worker_pack",
  idPattern: kindIdPattern("worker-pack", 1),
  idConvention: "worker-pack.<name>",
  fields: {
    workerPackId: z.string().regex(WORKER_PACK_ID, {
      error: "expected a snake_case runtime pack id with a version suffix, such as follow_up_v1",
    }),
    workerKind: WorkerKindSchema,
    defaultScope: WorkerScopeSchema,
    supportedInputRouteKinds: z.array(InputRouteKindSchema).min(1),
    outputKinds: z.array(WorkItemKindSchema).min(1),
    actionKinds: z.array(ActionKindSchema),
    requiredConnectionProviders: z.array(ProviderKeySchema),
    optionalConnectionProviders: z.array(ProviderKeySchema),
    setupSteps: z.array(SetupStepSchema),
    runtime: ModuleRuntimeSchema.optional(),
  },
  links: (m) => ({
    unique: [{ vocabulary: "worker_pack_id", value: m.workerPackId, path: "workerPackId" }],
    references: [
      ...listLinks("route_kind", m.supportedInputRouteKinds, "supportedInputRouteKinds"),
      ...listLinks("action_kind", m.actionKinds, "actionKinds"),
      ...listLinks("provider", m.requiredConnectionProviders, "requiredConnectionProviders"),
      ...listLinks("provider", m.optionalConnectionProviders, "optionalConnectionProviders"),
    ],
  }),
});
