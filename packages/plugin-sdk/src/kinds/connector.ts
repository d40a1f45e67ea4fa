import { z } from "zod";
import { kindIdPattern } from "../grammar.js";
import { EntityTypeSchema } from "../open-vocabulary.js";
import { ModuleRuntimeSchema } from "../runtimes/module-runtime.js";
import { ConnectorSyncModeSchema } from "../vocabulary.js";
import { defineKind } from "./define-kind.js";

/** Pulls data from an external source and maps it onto entity types. */
export const connectorKind = defineKind({
  name: "connector",
  idPattern: kindIdPattern("connector", 1),
  idConvention: "connector.<system>",
  fields: {
    entityTypes: z.array(EntityTypeSchema).min(1),
    syncModes: z.array(ConnectorSyncModeSchema).min(1),
    schedule: z.strictObject({ intervalMinutes: z.int().min(1).max(10_080) }).optional(),
    realtime: z.boolean(),
    runtime: ModuleRuntimeSchema.optional(),
  },
  check: (m) =>
    m.realtime && !m.syncModes.includes("realtime")
      ? [
          {
            path: "syncModes",
            code: "realtime_sync_missing",
            message: 'realtime is true, so syncModes must include "realtime"',
          },
        ]
      : [],
});
