import type { z } from "zod";
import type {
  ActionOutcomeSchema,
  ActionRequestDraftSchema,
  ChannelJobSchema,
  EntityMappingSchema,
  HealthReportSchema,
  NormalizedRouteEventSchema,
  RawItemSchema,
  RouteEventResultSchema,
  WorkItemDraftSchema,
} from "./handler-results.js";
import type { JsonValue } from "./plugin-context.js";

// Argument types are declared here; result types are inferred from the schemas in
// handler-results.ts, which hosts check plugin code's results against.

/** What a side-effect-free health probe reports. */
export type HealthReport = z.infer<typeof HealthReportSchema>;

/** Handlers every kind may add. */
export interface CommonHandlers {
  /** A side-effect-free health probe the host may call. */
  probe?(): HealthReport | Promise<HealthReport>;
  stop?(): void | Promise<void>;
}

export interface ConnectionProviderHandlers extends CommonHandlers {
  testConnection?(): HealthReport | Promise<HealthReport>;
}

/** An inbound request, after the host verified it. */
export interface IngressRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly receivedAt: string;
}

/** One route event an ingress adapter produces from a request. */
export type NormalizedRouteEvent = z.infer<typeof NormalizedRouteEventSchema>;

export interface IngressAdapterHandlers extends CommonHandlers {
  normalize(request: IngressRequest): NormalizedRouteEvent[] | Promise<NormalizedRouteEvent[]>;
}

export interface ActionRequest {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly actionKind: string;
  readonly destinationProvider: string;
  readonly payload: JsonValue;
}

export type ActionOutcome = z.infer<typeof ActionOutcomeSchema>;

export interface ActionExecutorHandlers extends CommonHandlers {
  execute(request: ActionRequest): ActionOutcome | Promise<ActionOutcome>;
}

export interface RouteEvent {
  readonly id: string;
  readonly routeKind: string;
  readonly data: JsonValue;
}

export type WorkItemDraft = z.infer<typeof WorkItemDraftSchema>;

export type ActionRequestDraft = z.infer<typeof ActionRequestDraftSchema>;

/** What a worker pack's `handleRouteEvent` makes of one route event. */
export type RouteEventResult = z.infer<typeof RouteEventResultSchema>;

export interface WorkerPackHandlers extends CommonHandlers {
  handleRouteEvent(event: RouteEvent): RouteEventResult | Promise<RouteEventResult>;
}

export interface OutboundMessage {
  readonly to: string;
  readonly body: string;
  readonly subject?: string;
}

export interface OutboundFax {
  readonly to: string;
  readonly documentUrl: string;
}

export type ChannelJob = z.infer<typeof ChannelJobSchema>;

export interface ChannelHandlers extends CommonHandlers {
  sendMessage?(message: OutboundMessage): ChannelJob | Promise<ChannelJob>;
  sendFax?(fax: OutboundFax): ChannelJob | Promise<ChannelJob>;
  getStatus?(jobId: string): ChannelJob | Promise<ChannelJob>;
  placeCall?(call: { readonly to: string }): ChannelJob | Promise<ChannelJob>;
  handleIncomingEvent?(payload: JsonValue): void | Promise<void>;
}

export type RawItem = z.infer<typeof RawItemSchema>;

/** One entity record a connector's `mapToEntities` makes of an item. */
export type EntityMapping = z.infer<typeof EntityMappingSchema>;

export interface ConnectorHandlers extends CommonHandlers {
  sync(options: { readonly since?: string }): AsyncIterable<RawItem> | Promise<RawItem[]>;
  mapToEntities(item: RawItem): EntityMapping[];
}

export interface RuleContext {
  readonly event: JsonValue;
}

export type ConditionHandler = (
  params: Record<string, JsonValue>,
  context: RuleContext,
) => boolean | Promise<boolean>;

export type ActionHandler = (
  params: Record<string, JsonValue>,
  context: RuleContext,
) => void | Promise<void>;

export interface RuleOperatorHandlers extends CommonHandlers {
  /** One handler per declared condition id. */
  conditions: Record<string, ConditionHandler>;
  /** One handler per declared action id. */
  actions: Record<string, ActionHandler>;
}

/**
 * The request a hook sees. `metadata` holds what earlier hooks wrote, keyed by the id of the
 * plugin that wrote it; a hook reads every entry and writes only its own.
 */
export interface HookRequest {
  readonly ring: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: JsonValue;
  readonly metadata: Readonly<Record<string, JsonValue>>;
}

export type HookResult =
  | { readonly action: "passthrough"; readonly metadata?: Record<string, JsonValue> }
  | {
      readonly action: "modify";
      readonly body?: JsonValue;
      readonly headers?: Record<string, string>;
      readonly metadata?: Record<string, JsonValue>;
    }
  | {
      readonly action: "block";
      readonly status: number;
      readonly type: string;
      readonly message: string;
    }
  | { readonly action: "respond"; readonly status: number; readonly body: JsonValue };

export interface HookHandlers extends CommonHandlers {
  run(request: HookRequest): HookResult | Promise<HookResult>;
}

/** The handlers each built-in kind's code returns from `setup`. */
export interface HandlersByKind {
  connection_provider: ConnectionProviderHandlers;
  ingress_adapter: IngressAdapterHandlers;
  action_executor: ActionExecutorHandlers;
  worker_pack: WorkerPackHandlers;
  channel: ChannelHandlers;
  connector: ConnectorHandlers;
  rule_operator: RuleOperatorHandlers;
  hook: HookHandlers;
}
