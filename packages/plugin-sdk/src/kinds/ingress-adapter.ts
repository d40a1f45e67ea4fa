import { z } from "zod";
import { kindIdPattern } from "../grammar.js";
import { InputRouteKindSchema, ProviderKeySchema } from "../open-vocabulary.js";
import { ModuleRuntimeSchema } from "../runtimes/module-runtime.js";
import { SetupStepSchema } from "../setup-steps.js";
import { AdapterKindSchema, IngressAuthenticationSchema } from "../vocabulary.js";
import { defineKind } from "./define-kind.js";
import { listLinks } from "./kind-links.js";

/** Receives events from an external system and normalises them into input routes. */
export const ingressAdapterKind = defineKind({
  name: "ingress_adapter",
  idPattern: kindIdPattern("ingress", 2),
  idConvention: "ingress.<provider>.<function>",
  fields: {
    adapterKind: AdapterKindSchema,
    normalizedInputRouteKinds: z.array(InputRouteKindSchema).min(1),
    authentication: IngressAuthenticationSchema,
    provider: ProviderKeySchema,
    setupSteps: z.array(SetupStepSchema),
    runtime: ModuleRuntimeSchema.optional(),
  },
  check: (m) =>
    (m.permissions ?? []).includes("network:inbound")
      ? []
      : [
          {
            path: "permissions",
            code: "permission_missing",
            message: "expected network:inbound: an ingress adapter receives webhooks",
          },
        ],
  links: (m) => ({
    provides: listLinks("route_kind", m.normalizedInputRouteKinds, "normalizedInputRouteKinds"),
    references: [{ vocabulary: "provider", value: m.provider, path: "provider" }],
  }),
});
