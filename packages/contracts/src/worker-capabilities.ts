import { ActionKindSchema, BoundaryModeSchema } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { toWireSchema, type WireSchema } from "./wire-case.js";

export const WorkerActionCapabilityParamsSchema = z.strictObject({
  id: z.string().min(1).max(100),
  kind: ActionKindSchema,
});

/** Sets how a worker's requests of one action kind are governed from now on. */
export const WorkerActionCapabilityUpdateSchema = z.strictObject({
  boundaryMode: BoundaryModeSchema,
});
export type WorkerActionCapabilityUpdate = z.infer<typeof WorkerActionCapabilityUpdateSchema>;

/** One action kind a worker may request, and how its requests are governed. */
export const WorkerActionCapabilitySchema = z.strictObject({
  workerId: z.string().min(1),
  kind: ActionKindSchema,
  boundaryMode: BoundaryModeSchema,
});
export type WorkerActionCapability = z.infer<typeof WorkerActionCapabilitySchema>;

export const WorkerActionCapabilityWireSchema: WireSchema<typeof WorkerActionCapabilitySchema> =
  toWireSchema(WorkerActionCapabilitySchema);
