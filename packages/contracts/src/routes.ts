import type { HttpMethod } from "@plugboard/plugin-sdk";
import type { z } from "zod";
import type { ApiErrorCode } from "./errors.js";
import {
  ManifestValidationRequestSchema,
  ManifestValidationResultSchema,
} from "./manifest-validation.js";
import {
  PluginDetailResponseSchema,
  PluginListQuerySchema,
  PluginListResponseSchema,
  PluginParamsSchema,
  RegistryResponseSchema,
} from "./registry.js";
import type { Scope } from "./scopes.js";
import {
  TokenCreateRequestSchema,
  TokenCreateResponseSchema,
  TokenListResponseSchema,
  TokenParamsSchema,
  TokenSummarySchema,
} from "./tokens.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";
import {
  WorkerInstallRequestSchema,
  WorkerInstallResultSchema,
  WorkerPackListResponseSchema,
} from "./worker-packs.js";

/** The parts of a request and response a route declares schemas for. */
export const ROUTE_PARTS = ["params", "query", "body", "response"] as const;
export type RoutePart = (typeof ROUTE_PARTS)[number];

/** A route as declared: what it is, who may call it, and the camelCase schema of each part. */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** OpenAPI style: `/v1/plugins/{id}`; each `{name}` is a key of `params`. */
  readonly path: `/v1/${string}`;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** The token scope a caller needs. */
  readonly scope: Scope;
  readonly successStatus: 200 | 201;
  /** Every error code the route can answer with. */
  readonly errors: readonly ApiErrorCode[];
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
}

type WireForms<R extends RouteSpec> = {
  readonly [P in RoutePart as R[P] extends z.ZodType ? P : never]: R[P] extends z.ZodType
    ? WireSchema<R[P]>
    : never;
};

/** A declared route with the wire (snake_case) form of each of its schemas. */
export type Route<R extends RouteSpec = RouteSpec> = R & { readonly wire: WireForms<R> };

/** Declares a route: returns it as data, with its wire schemas derived. */
export function defineRoute<const R extends RouteSpec>(spec: R): Route<R> {
  const wire: Partial<Record<RoutePart, z.ZodType>> = {};
  for (const part of ROUTE_PARTS) {
    const schema = spec[part];
    if (schema !== undefined) wire[part] = toWireSchema(schema);
  }
  // `wire` holds exactly the parts `spec` declares, which is what WireForms<R> describes.
  return { ...spec, wire: wire as WireForms<R> };
}

/** Errors any authenticated route can answer with. */
const AUTHENTICATED = [
  "PLUGBOARD_UNAUTHORIZED",
  "PLUGBOARD_FORBIDDEN",
  "PLUGBOARD_RATE_LIMITED",
  "PLUGBOARD_INTERNAL",
] as const;

/** Errors of a route that reads a JSON body. */
const WITH_BODY = [
  "PLUGBOARD_BAD_REQUEST",
  "PLUGBOARD_PAYLOAD_TOO_LARGE",
  "PLUGBOARD_UNSUPPORTED_MEDIA_TYPE",
  "PLUGBOARD_VALIDATION_FAILED",
] as const;

export const getRegistryRoute = defineRoute({
  method: "GET",
  path: "/v1/registry",
  operationId: "getRegistry",
  summary: "List every plugin, grouped by kind",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [...AUTHENTICATED],
  response: RegistryResponseSchema,
});

export const listPluginsRoute = defineRoute({
  method: "GET",
  path: "/v1/plugins",
  operationId: "listPlugins",
  summary: "List plugins, filtered by kind, category and stability",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", ...AUTHENTICATED],
  query: PluginListQuerySchema,
  response: PluginListResponseSchema,
});

export const getPluginRoute = defineRoute({
  method: "GET",
  path: "/v1/plugins/{id}",
  operationId: "getPlugin",
  summary: "Show one plugin and its version history",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED],
  params: PluginParamsSchema,
  response: PluginDetailResponseSchema,
});

export const validateManifestRoute = defineRoute({
  method: "POST",
  path: "/v1/plugins/validate",
  operationId: "validateManifest",
  summary: "Check a manifest against its kind and the installed registry",
  description:
    "Installs nothing and sends no request to any host the manifest names. An invalid manifest is a successful check with `valid: false`.",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [...WITH_BODY, ...AUTHENTICATED],
  body: ManifestValidationRequestSchema,
  response: ManifestValidationResultSchema,
});

export const listWorkerPacksRoute = defineRoute({
  method: "GET",
  path: "/v1/worker-packs",
  operationId: "listWorkerPacks",
  summary: "List installable worker packs with their runtime packs",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [...AUTHENTICATED],
  response: WorkerPackListResponseSchema,
});

export const installWorkerRoute = defineRoute({
  method: "POST",
  path: "/v1/workers",
  operationId: "installWorker",
  summary: "Install a worker from a worker pack",
  description:
    "One transaction: creates the worker, its input routes and its action capabilities, or nothing. Answers 409 when a required connection is missing.",
  scope: "admin:plugins:write",
  successStatus: 201,
  errors: [...WITH_BODY, "PLUGBOARD_NOT_FOUND", "PLUGBOARD_CONFLICT", ...AUTHENTICATED],
  body: WorkerInstallRequestSchema,
  response: WorkerInstallResultSchema,
});

export const createTokenRoute = defineRoute({
  method: "POST",
  path: "/v1/tokens",
  operationId: "createToken",
  summary: "Create a bearer token with scopes",
  description: "The response carries the token once; only its hash is stored.",
  scope: "tokens:manage",
  successStatus: 201,
  errors: [...WITH_BODY, ...AUTHENTICATED],
  body: TokenCreateRequestSchema,
  response: TokenCreateResponseSchema,
});

export const listTokensRoute = defineRoute({
  method: "GET",
  path: "/v1/tokens",
  operationId: "listTokens",
  summary: "List tokens without their secrets",
  scope: "tokens:manage",
  successStatus: 200,
  errors: [...AUTHENTICATED],
  response: TokenListResponseSchema,
});

export const revokeTokenRoute = defineRoute({
  method: "DELETE",
  path: "/v1/tokens/{id}",
  operationId: "revokeToken",
  summary: "Revoke a token",
  scope: "tokens:manage",
  successStatus: 200,
  errors: ["PLUGBOARD_BAD_REQUEST", "PLUGBOARD_NOT_FOUND", ...AUTHENTICATED],
  params: TokenParamsSchema,
  response: TokenSummarySchema,
});

/** Every route of the API, in the order the OpenAPI document lists them. */
export const ROUTES = [
  getRegistryRoute,
  listPluginsRoute,
  getPluginRoute,
  validateManifestRoute,
  listWorkerPacksRoute,
  installWorkerRoute,
  createTokenRoute,
  listTokensRoute,
  revokeTokenRoute,
] as const;
export type AnyRoute = (typeof ROUTES)[number];
