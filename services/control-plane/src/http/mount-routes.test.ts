import { defineRoute, ROUTES, type RouteSpec } from "@plugboard/contracts";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkRouteTable, mountRoutes, RouteTableError, toFastifyPath } from "./mount-routes.js";

const ping = defineRoute({
  method: "GET",
  path: "/v1/ping/{id}",
  operationId: "ping",
  summary: "Ping",
  scope: "admin:plugins:read",
  successStatus: 200,
  errors: [],
  params: z.strictObject({ id: z.string() }),
  response: z.strictObject({ id: z.string() }),
});
const handler = async () => ({ id: "x" });

describe("checkRouteTable", () => {
  it("accepts a table where every route has a scope and a handler", () => {
    expect(checkRouteTable([ping], { ping: handler })).toEqual([]);
  });

  it("names a route without a known scope", () => {
    const unscoped = { ...ping, scope: undefined } as unknown as RouteSpec;
    expect(checkRouteTable([unscoped], { ping: handler })).toEqual([
      "GET /v1/ping/{id} (ping): declares no known scope (got undefined)",
    ]);
    const unknown = { ...ping, scope: "admin:everything" } as unknown as RouteSpec;
    expect(checkRouteTable([unknown], { ping: handler })[0]).toContain('"admin:everything"');
  });

  it("names a route without a handler and a handler without a route", () => {
    expect(checkRouteTable([ping], { pong: handler })).toEqual([
      "GET /v1/ping/{id} (ping): has no handler",
      "handler pong: no route declares it",
    ]);
  });

  it("names an operationId declared twice", () => {
    expect(checkRouteTable([ping, ping], { ping: handler })).toContain(
      "GET /v1/ping/{id} (ping): operationId is declared twice",
    );
  });

  it("finds the real route table consistent with itself", () => {
    const handlers = Object.fromEntries(ROUTES.map((route) => [route.operationId, handler]));
    expect(checkRouteTable(ROUTES, handlers)).toEqual([]);
  });
});

describe("mountRoutes", () => {
  it("refuses to start, registering nothing, when the table cannot be served", () => {
    const app = Fastify();
    const unscoped = { ...ping, scope: "" } as unknown as RouteSpec;
    expect(() =>
      mountRoutes(app, { routes: [unscoped], handlers: {}, authenticate: async () => never() }),
    ).toThrow(RouteTableError);
    expect(app.hasRoute({ method: "GET", url: "/v1/ping/:id" })).toBe(false);
  });

  it("authenticates before it parses, then answers in wire form", async () => {
    const app = Fastify();
    const seen: string[] = [];
    mountRoutes(app, {
      routes: [ping],
      handlers: { ping: async ({ params }: { params: { id: string } }) => ({ id: params.id }) },
      authenticate: async (_request, scope) => {
        seen.push(scope);
        return { tokenId: "t", scopes: new Set([scope]) };
      },
    });
    const response = await app.inject({ method: "GET", url: "/v1/ping/abc" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: "abc" });
    expect(seen).toEqual(["admin:plugins:read"]);
  });

  it("converts route-table paths to Fastify paths", () => {
    expect(toFastifyPath("/v1/plugins/{id}/setup/{stepId}")).toBe("/v1/plugins/:id/setup/:stepId");
  });
});

function never(): never {
  throw new Error("not called");
}

describe("a handler that sends its own answer", () => {
  it("is not answered twice, and nothing is logged about it", async () => {
    const lines: string[] = [];
    const app = Fastify({
      logger: { level: "warn", stream: { write: (line: string) => lines.push(line) } },
    });
    mountRoutes(app, {
      routes: [ping],
      handlers: {
        ping: async ({ reply }: { reply: import("fastify").FastifyReply }) =>
          reply.type("application/json").send('{"id":"raw"}'),
      },
      authenticate: async (_request, scope) => ({ tokenId: "t", scopes: new Set([scope]) }),
    });
    const response = await app.inject({ method: "GET", url: "/v1/ping/abc" });
    expect(response.json()).toEqual({ id: "raw" });
    expect(lines).toEqual([]);
  });
});
