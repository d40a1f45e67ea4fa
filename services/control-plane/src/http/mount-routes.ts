import type { Scope } from "@plugboard/contracts";
import { type AnyRoute, type RouteSpec, ScopeSchema, toWire } from "@plugboard/contracts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Principal } from "../auth/tokens.js";
import { parseWireOrThrow } from "./parse-wire.js";

type PartOf<R extends RouteSpec, P extends "params" | "query" | "body"> = R[P] extends z.ZodType
  ? z.output<R[P]>
  : undefined;

/** What a route handler receives: the parsed (camelCase) request parts and the caller. */
export interface RouteCall<R extends RouteSpec> {
  readonly params: PartOf<R, "params">;
  readonly query: PartOf<R, "query">;
  readonly body: PartOf<R, "body">;
  readonly principal: Principal;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * Answers a route: the camelCase response, sent as the route's wire form with its success
 * status; or the reply itself, when the handler sent something else (a pre-serialised body,
 * a 304).
 */
export type RouteHandler<R extends RouteSpec> = (
  call: RouteCall<R>,
) => Promise<z.output<R["response"]> | FastifyReply>;

/** A handler for every route of the contracts' route table, by operation id. */
export type RouteHandlers = {
  readonly [R in AnyRoute as R["operationId"]]: RouteHandler<R>;
};

/** Resolves the caller of a request and checks it holds `scope`; throws 401 / 403. */
export type Authenticate = (request: FastifyRequest, scope: Scope) => Promise<Principal>;

/** Thrown at start-up when the route table and the handlers disagree. */
export class RouteTableError extends Error {
  constructor(problems: readonly string[]) {
    super(`the route table cannot be served:\n  ${problems.join("\n  ")}`);
    this.name = "RouteTableError";
  }
}

/**
 * Every route needs a registered scope and a handler, and every handler a route. Returns
 * the problems found; empty when the table can be served.
 */
export function checkRouteTable(
  routes: readonly RouteSpec[],
  handlers: Readonly<Record<string, unknown>>,
): string[] {
  const problems: string[] = [];
  const declared = new Set<string>();
  for (const route of routes) {
    const name = `${route.method} ${route.path} (${route.operationId})`;
    if (declared.has(route.operationId)) problems.push(`${name}: operationId is declared twice`);
    declared.add(route.operationId);
    if (!ScopeSchema.safeParse(route.scope).success) {
      problems.push(`${name}: declares no known scope (got ${JSON.stringify(route.scope)})`);
    }
    if (typeof handlers[route.operationId] !== "function") problems.push(`${name}: has no handler`);
  }
  for (const operationId of Object.keys(handlers)) {
    if (!declared.has(operationId)) problems.push(`handler ${operationId}: no route declares it`);
  }
  return problems;
}

/** `/v1/plugins/{id}` in the route table is `/v1/plugins/:id` to Fastify. */
export function toFastifyPath(path: string): string {
  return path.replaceAll(/\{(\w+)\}/g, ":$1");
}

/**
 * Registers every route of the table: authenticates for the route's scope first, then parses
 * path, query and body against the route's wire schemas, runs the handler and sends its
 * result in wire form. Throws `RouteTableError` before registering anything when a route
 * has no scope or no handler.
 */
export function mountRoutes(
  app: FastifyInstance,
  options: {
    readonly routes: readonly RouteSpec[];
    readonly handlers: Readonly<Record<string, unknown>>;
    readonly authenticate: Authenticate;
  },
): void {
  const problems = checkRouteTable(options.routes, options.handlers);
  if (problems.length > 0) throw new RouteTableError(problems);
  for (const route of options.routes) {
    // checkRouteTable proved it is a function; RouteHandlers ties its call shape to the route.
    const handler = options.handlers[route.operationId] as (call: {
      params: unknown;
      query: unknown;
      body: unknown;
      principal: Principal;
      request: FastifyRequest;
      reply: FastifyReply;
    }) => Promise<unknown>;
    app.route({
      method: route.method,
      url: toFastifyPath(route.path),
      handler: async (request, reply) => {
        const principal = await options.authenticate(request, route.scope);
        const call = {
          params:
            route.params === undefined
              ? undefined
              : parseWireOrThrow(route.params, request.params, "path"),
          query:
            route.query === undefined
              ? undefined
              : parseWireOrThrow(route.query, request.query, "query string"),
          body:
            route.body === undefined
              ? undefined
              : parseWireOrThrow(route.body, request.body, "request body"),
          principal,
          request,
          reply,
        };
        const result = await handler(call);
        // A handler that sent its own answer returns the reply, which is thenable: awaiting
        // it yields undefined, so `sent` is what tells.
        if (reply.sent) return reply;
        return reply.status(route.successStatus).send(toWire(route.response, result));
      },
    });
  }
}
