import { z } from "zod";
import type { PluginKind } from "../kinds/built-in-kinds.js";
import { JobStatusSchema } from "../vocabulary.js";
import type { HandlersByKind } from "./handlers.js";
import { HookResultSchema } from "./hook-result.js";
import { JsonValueSchema } from "./json-value.js";

// What handlers return, declared once: the handler types in handlers.ts are inferred from
// these schemas, and hosts check plugin code's results against them.

/** What a side-effect-free health probe reports. */
export const HealthReportSchema = z
  .object({ healthy: z.boolean(), message: z.string().optional() })
  .readonly();

/** One route event an ingress adapter produces from a request. */
export const NormalizedRouteEventSchema = z
  .object({
    routeKind: z.string().min(1),
    /** The provider's own id of the event, used to process it once. */
    eventId: z.string().min(1),
    data: JsonValueSchema,
  })
  .readonly();

/** How an action executor's `execute` went. */
export const ActionOutcomeSchema = z.union([
  z.object({ status: z.literal("succeeded"), detail: JsonValueSchema.optional() }).readonly(),
  z.object({ status: z.literal("failed"), retryable: z.boolean(), message: z.string() }).readonly(),
]);

export const WorkItemDraftSchema = z
  .object({ kind: z.string().min(1), title: z.string(), body: JsonValueSchema })
  .readonly();

export const ActionRequestDraftSchema = z
  .object({
    actionKind: z.string().min(1),
    destinationProvider: z.string().min(1),
    payload: JsonValueSchema,
  })
  .readonly();

/** What a worker pack's `handleRouteEvent` makes of one route event. */
export const RouteEventResultSchema = z.object({
  workItems: z.array(WorkItemDraftSchema),
  actionRequests: z.array(ActionRequestDraftSchema),
});

/** A channel's job, as its send and status handlers report it. */
export const ChannelJobSchema = z
  .object({ jobId: z.string().min(1), status: JobStatusSchema })
  .readonly();

/** One item a connector's `sync` yields. */
export const RawItemSchema = z.object({ id: z.string(), data: JsonValueSchema }).readonly();

/** One entity record a connector's `mapToEntities` makes of an item. */
export const EntityMappingSchema = z.object({
  entity: z.string().min(1),
  record: z.object({ id: z.string() }).catchall(JsonValueSchema).readonly(),
});

/**
 * The schema of what each handler of each built-in kind returns, where it returns a value (a
 * handler typed `void` returns nothing a host reads). For a handler group (a rule operator's
 * `conditions`), the schema of what each entry returns. A host checks a plugin's result with
 * `HANDLER_RESULT_SCHEMAS[kind][handler]`.
 */
export const HANDLER_RESULT_SCHEMAS = {
  connection_provider: { probe: HealthReportSchema, testConnection: HealthReportSchema },
  ingress_adapter: { probe: HealthReportSchema, normalize: z.array(NormalizedRouteEventSchema) },
  action_executor: { probe: HealthReportSchema, execute: ActionOutcomeSchema },
  worker_pack: { probe: HealthReportSchema, handleRouteEvent: RouteEventResultSchema },
  channel: {
    probe: HealthReportSchema,
    sendMessage: ChannelJobSchema,
    sendFax: ChannelJobSchema,
    getStatus: ChannelJobSchema,
    placeCall: ChannelJobSchema,
  },
  connector: {
    probe: HealthReportSchema,
    sync: z.array(RawItemSchema),
    mapToEntities: z.array(EntityMappingSchema),
  },
  rule_operator: { probe: HealthReportSchema, conditions: z.boolean() },
  hook: { probe: HealthReportSchema, run: HookResultSchema },
} as const satisfies {
  readonly [K in PluginKind]: { readonly [H in keyof HandlersByKind[K]]?: z.ZodType };
};
