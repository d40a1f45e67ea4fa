import { z } from "zod";
import { SecretKeySchema } from "../base-fields.js";
import { ActionKindSchema, ProviderKeySchema } from "../open-vocabulary.js";
import { httpEgressProblems } from "../runtimes/http-egress-problems.js";
import { httpRuntimeProblems } from "../runtimes/http-runtime-problems.js";
import { RuntimeSchema } from "../runtimes/runtime.js";
import { SetupStepSchema } from "../setup-steps.js";
import { BoundaryModeSchema, ExecutionModelSchema } from "../vocabulary.js";
import { defineKind, type KindProblem } from "./define-kind.js";
import { listLinks } from "./kind-links.js";

/** Performs a governed external action (such as sending an email) after review. */
export const actionExecutorKind = defineKind({
  name: "action_executor",
  idPattern: /^action\.[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/,
  idConvention: "action.<transport>-<verb>",
  fields: {
    actionKind: ActionKindSchema,
    destinationProviders: z.array(ProviderKeySchema).min(1),
    defaultBoundaryMode: BoundaryModeSchema,
    executionModel: ExecutionModelSchema,
    secretKeys: z.array(SecretKeySchema),
    setupSteps: z.array(SetupStepSchema),
    runtime: RuntimeSchema.optional(),
  },
  links: (m) => ({
    provides: [{ vocabulary: "action_kind", value: m.actionKind, path: "actionKind" }],
    references: listLinks("write_capable_provider", m.destinationProviders, "destinationProviders"),
  }),
  check: (m) => {
    if (m.runtime?.type !== "http") return [];
    const problems: KindProblem[] = httpRuntimeProblems(m.runtime, m.secretKeys, [
      m.actionKind,
      "get_status",
    ]);
    problems.push(...httpEgressProblems(m.runtime, m.permissions ?? []));
    if (!Object.hasOwn(m.runtime.operations, m.actionKind)) {
      problems.push({
        path: "runtime.operations",
        code: "operation_not_implemented",
        message: `expected an operation named after the action kind, "${m.actionKind}"`,
      });
    }
    return problems;
  },
});
