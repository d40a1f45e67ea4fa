import { z } from "zod";
import { ConfigSchemaSchema } from "../config-schema.js";
import { kindIdPattern, OPERATOR_ID } from "../grammar.js";
import { ModuleRuntimeSchema } from "../runtimes/module-runtime.js";
import { defineKind, type KindProblem } from "./define-kind.js";

export const OperatorSchema = z.strictObject({
  id: z.string().regex(OPERATOR_ID, {
    error: "expected an operator id of the form <domain>.<name>, such as comms.callCount",
  }),
  description: z.string().min(1),
  params: ConfigSchemaSchema,
});
export type Operator = z.infer<typeof OperatorSchema>;

/** Adds condition and action operators to the rules engine. */
export const ruleOperatorKind = defineKind({
  name: "rule_operator",
  idPattern: kindIdPattern("operator", 1),
  idConvention: "operator.<domain>",
  fields: {
    conditions: z.array(OperatorSchema),
    actions: z.array(OperatorSchema),
    runtime: ModuleRuntimeSchema.optional(),
  },
  check: (m) => {
    const problems: KindProblem[] = [];
    const domain = m.id.slice("operator.".length);
    if (m.conditions.length === 0 && m.actions.length === 0) {
      problems.push({
        path: "conditions",
        code: "operators_empty",
        message: "expected at least one condition or action",
      });
    }
    const seen = new Set<string>();
    for (const field of ["conditions", "actions"] as const) {
      m[field].forEach((operator, index) => {
        const path = `${field}[${index}].id`;
        if (!operator.id.startsWith(`${domain}.`)) {
          problems.push({
            path,
            code: "operator_domain_mismatch",
            message: `expected an id in this plugin's domain, such as ${domain}.${operator.id.split(".")[1] ?? "name"}`,
          });
        }
        if (seen.has(operator.id)) {
          problems.push({
            path,
            code: "duplicate_operator_id",
            message: `operator id "${operator.id}" is used twice`,
          });
        }
        seen.add(operator.id);
      });
    }
    return problems;
  },
});
