import {
  HANDLER_RESULT_SCHEMAS,
  type HandlersByKind,
  type PluginKind,
} from "@plugboard/plugin-sdk";
import type { z } from "zod";

/** The handlers a kind's `setup` must return: the non-optional members of its handler type. */
export type RequiredHandler<K extends PluginKind> = {
  // biome-ignore lint/complexity/noBannedTypes: `{}` is how a mapped type tells optional members apart.
  [H in keyof HandlersByKind[K]]-?: {} extends Pick<HandlersByKind[K], H> ? never : H;
}[keyof HandlersByKind[K]] &
  string;

/**
 * The required handlers of each built-in kind, checked at load. A type test holds this table
 * to the SDK's handler types, so a handler made required there fails the build here.
 */
export const REQUIRED_HANDLERS = {
  connection_provider: [],
  ingress_adapter: ["normalize"],
  action_executor: ["execute"],
  worker_pack: ["handleRouteEvent"],
  channel: [],
  connector: ["sync", "mapToEntities"],
  rule_operator: ["conditions", "actions"],
  hook: ["run"],
} as const satisfies { readonly [K in PluginKind]: readonly RequiredHandler<K>[] };

function isBuiltInKind(kind: string): kind is keyof typeof REQUIRED_HANDLERS {
  return Object.hasOwn(REQUIRED_HANDLERS, kind);
}

/** The handlers a manifest of `kind` must have; none for a kind a host registered. */
export function requiredHandlers(kind: string): readonly string[] {
  return isBuiltInKind(kind) ? REQUIRED_HANDLERS[kind] : [];
}

/** The schema the SDK declares for what `handler` of `kind` returns, if it declares one. */
export function resultSchema(kind: string, handler: string): z.ZodType | undefined {
  if (!isBuiltInKind(kind)) return undefined;
  // Handlers typed void (a rule operator's actions, stop) have no schema: their result is
  // checked as JSON only.
  const schemas: Readonly<Record<string, z.ZodType | undefined>> = HANDLER_RESULT_SCHEMAS[kind];
  return Object.hasOwn(schemas, handler) ? schemas[handler] : undefined;
}
