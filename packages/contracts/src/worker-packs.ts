import {
  ActionKindSchema,
  BoundaryModeSchema,
  InputRouteKindSchema,
  ProviderKeySchema,
  WorkerScopeSchema,
  workerPackKind,
} from "@plugboard/plugin-sdk";
import { z } from "zod";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/** A runtime pack id, exactly as the worker-pack manifest declares `workerPackId`. */
const WorkerPackIdSchema = workerPackKind.schema.shape.workerPackId;

/** One way work reaches a worker, as its runtime pack presents it. */
export const InputRouteSummarySchema = z.strictObject({
  kind: InputRouteKindSchema,
  label: z.string().min(1),
  description: z.string().min(1),
});

/** One action a worker may propose, and how it is governed until an operator says otherwise. */
export const ActionCapabilitySummarySchema = z.strictObject({
  kind: ActionKindSchema,
  defaultBoundaryMode: BoundaryModeSchema,
});

/** What the runtime pack behind a worker-pack manifest offers. */
export const RuntimePackSummarySchema = z.strictObject({
  summary: z.string().min(1),
  inputRoutes: z.array(InputRouteSummarySchema).min(1),
  actionCapabilities: z.array(ActionCapabilitySummarySchema),
});
export type RuntimePackSummary = z.infer<typeof RuntimePackSummarySchema>;

/** Whether the pack can be installed now; installing needs every required connection. */
export const InstallAvailabilitySchema = z.strictObject({
  available: z.boolean(),
  /** Required connection providers with no connection yet; empty when `available`. */
  missingConnectionProviders: z.array(ProviderKeySchema),
});

/** A worker pack as the install screen shows it: its manifest, runtime pack and availability. */
export const WorkerPackListingSchema = workerPackKind.schema.extend({
  runtimePack: RuntimePackSummarySchema,
  availability: InstallAvailabilitySchema,
});
export type WorkerPackListing = z.infer<typeof WorkerPackListingSchema>;

export const WorkerPackListResponseSchema = z.strictObject({
  workerPacks: z.array(WorkerPackListingSchema),
});
export type WorkerPackListResponse = z.infer<typeof WorkerPackListResponseSchema>;

const WorkerNameSchema = z.string().min(1).max(80);

/** Installs a worker from a pack; the name and scope default to the pack's. */
export const WorkerInstallRequestSchema = z.strictObject({
  workerPackId: WorkerPackIdSchema,
  name: WorkerNameSchema.optional(),
  scope: WorkerScopeSchema.optional(),
});
export type WorkerInstallRequest = z.infer<typeof WorkerInstallRequestSchema>;

/** What one install created: the worker, its opened input routes and its action capabilities. */
export const WorkerInstallResultSchema = z.strictObject({
  worker: z.strictObject({
    id: z.string().min(1),
    workerPackId: WorkerPackIdSchema,
    name: WorkerNameSchema,
    scope: WorkerScopeSchema,
  }),
  inputRoutes: z.array(
    z.strictObject({ id: z.string().min(1), kind: InputRouteKindSchema, label: z.string().min(1) }),
  ),
  actionCapabilities: z.array(
    z.strictObject({ kind: ActionKindSchema, boundaryMode: BoundaryModeSchema }),
  ),
});
export type WorkerInstallResult = z.infer<typeof WorkerInstallResultSchema>;

export const WorkerPackListResponseWireSchema: WireSchema<typeof WorkerPackListResponseSchema> =
  toWireSchema(WorkerPackListResponseSchema);
export const WorkerInstallRequestWireSchema: WireSchema<typeof WorkerInstallRequestSchema> =
  toWireSchema(WorkerInstallRequestSchema);
export const WorkerInstallResultWireSchema: WireSchema<typeof WorkerInstallResultSchema> =
  toWireSchema(WorkerInstallResultSchema);
