import type { HttpMethod } from "@plugboard/plugin-sdk";
import type { z } from "zod";
import type { ApiErrorCode } from "./errors.js";
import type { Scope } from "./scopes.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

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
export const AUTHENTICATED_ERRORS = [
  "PLUGBOARD_UNAUTHORIZED",
  "PLUGBOARD_FORBIDDEN",
  "PLUGBOARD_RATE_LIMITED",
  "PLUGBOARD_INTERNAL",
] as const;

/** Errors of a route that reads a JSON body. */
export const BODY_ERRORS = [
  "PLUGBOARD_BAD_REQUEST",
  "PLUGBOARD_PAYLOAD_TOO_LARGE",
  "PLUGBOARD_UNSUPPORTED_MEDIA_TYPE",
  "PLUGBOARD_VALIDATION_FAILED",
] as const;
