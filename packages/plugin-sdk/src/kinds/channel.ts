import { z } from "zod";
import { kindIdPattern } from "../grammar.js";
import { ChannelOperationSchema, ChannelTypeSchema } from "../open-vocabulary.js";
import { httpEgressProblems } from "../runtimes/http-egress-problems.js";
import { httpRuntimeProblems } from "../runtimes/http-runtime-problems.js";
import { RuntimeSchema } from "../runtimes/runtime.js";
import { defineKind, type KindProblem } from "./define-kind.js";

/** Inbound operations arrive by webhook and have no request/response form. */
const INBOUND_OPERATIONS = new Set(["receive"]);

/** Two-way communication: SMS, voice, email, WhatsApp, fax, … */
export const channelKind = defineKind({
  name: "channel",
  idPattern: kindIdPattern("channel", 1, 1),
  idConvention: "channel.<system>[.<qualifier>]",
  fields: {
    channelType: ChannelTypeSchema,
    operations: z.array(ChannelOperationSchema).min(1),
    runtime: RuntimeSchema.optional(),
  },
  check: (m) => {
    const problems: KindProblem[] = [];
    const receives = m.operations.some((operation) => INBOUND_OPERATIONS.has(operation));
    if (receives && !(m.permissions ?? []).includes("network:inbound")) {
      problems.push({
        path: "permissions",
        code: "permission_missing",
        message: "expected network:inbound: this channel declares an inbound operation",
      });
    }
    if (m.runtime?.type === "http") {
      problems.push(...httpRuntimeProblems(m.runtime, m.secretKeys ?? [], m.operations));
      problems.push(...httpEgressProblems(m.runtime, m.permissions ?? []));
      m.operations.forEach((operation, index) => {
        if (INBOUND_OPERATIONS.has(operation) || m.runtime?.type !== "http") return;
        if (!Object.hasOwn(m.runtime.operations, operation)) {
          problems.push({
            path: `operations[${index}]`,
            code: "operation_not_implemented",
            message: `operation "${operation}" has no entry in runtime.operations`,
          });
        }
      });
    }
    return problems;
  },
});
