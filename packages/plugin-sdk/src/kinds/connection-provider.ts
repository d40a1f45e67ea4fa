import { z } from "zod";
import { SecretKeySchema } from "../base-fields.js";
import { kindIdPattern } from "../grammar.js";
import { CapabilitySchema, InputRouteKindSchema, ProviderKeySchema } from "../open-vocabulary.js";
import { ModuleRuntimeSchema } from "../runtimes/module-runtime.js";
import { SetupStepSchema } from "../setup-steps.js";
import { ConnectionAccessModeSchema, SetupModeSchema } from "../vocabulary.js";
import { defineKind } from "./define-kind.js";
import { listLinks } from "./kind-links.js";

/** A connection to an external system: read data, send data, or both. */
export const connectionProviderKind = defineKind({
  name: "connection_provider",
  idPattern: kindIdPattern("provider", 1, 1),
  idConvention: "provider.<system>[.<qualifier>]",
  fields: {
    provider: ProviderKeySchema,
    accessModes: z.array(ConnectionAccessModeSchema).min(1),
    capabilities: z.array(CapabilitySchema),
    compatibleInputRouteKinds: z.array(InputRouteKindSchema),
    setupMode: SetupModeSchema,
    secretKeys: z.array(SecretKeySchema),
    setupSteps: z.array(SetupStepSchema),
    runtime: ModuleRuntimeSchema.optional(),
  },
  links: (m) => ({
    provides: [
      { vocabulary: "provider", value: m.provider, path: "provider" },
      ...(m.accessModes.includes("write_capable")
        ? [{ vocabulary: "write_capable_provider" as const, value: m.provider, path: "provider" }]
        : []),
    ],
    references: listLinks("route_kind", m.compatibleInputRouteKinds, "compatibleInputRouteKinds"),
  }),
});
