import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ROUTE_PARTS, type RouteSpec } from "./define-route.js";
import { defOf } from "./renamed-keys.js";
import { ROUTES } from "./routes.js";
import { SCOPES } from "./scopes.js";
import { toWireSchema } from "./wire-case.js";

const routes: readonly RouteSpec[] = ROUTES;

function keysOf(schema: z.ZodObject | undefined): string[] {
  if (schema === undefined) return [];
  const def = defOf(schema);
  return def.type === "object" ? Object.keys(def.shape) : [];
}

describe("route table", () => {
  it("lists the registry and token API", () => {
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual([
      "GET /v1/registry",
      "GET /v1/plugins",
      "GET /v1/plugins/{id}",
      "POST /v1/plugins/validate",
      "POST /v1/plugins",
      "PATCH /v1/plugins/{id}",
      "POST /v1/plugins/{id}/rollback",
      "DELETE /v1/plugins/{id}",
      "GET /v1/plugins/{id}/health",
      "POST /v1/plugins/{id}/reload",
      "POST /v1/plugins/{id}/enable",
      "POST /v1/plugins/{id}/disable",
      "GET /v1/plugins/{id}/config",
      "PUT /v1/plugins/{id}/config",
      "GET /v1/plugins/{id}/config/revisions",
      "POST /v1/plugins/{id}/config/rollback",
      "GET /v1/plugins/{id}/secrets",
      "PUT /v1/plugins/{id}/secrets",
      "POST /v1/plugins/{id}/oauth-states",
      "GET /v1/setup",
      "POST /v1/setup/{plugin}/{step}",
      "GET /v1/worker-packs",
      "POST /v1/workers",
      "PUT /v1/workers/{id}/action-capabilities/{kind}",
      "POST /v1/actions",
      "GET /v1/actions",
      "GET /v1/actions/{id}",
      "POST /v1/actions/{id}/approve",
      "POST /v1/actions/{id}/reject",
      "POST /v1/actions/{id}/retry",
      "GET /v1/work-items",
      "GET /v1/work-items/{id}",
      "GET /v1/worker-runs",
      "POST /v1/plugins/http/validate",
      "POST /v1/plugins/http/render",
      "POST /v1/channels/{plugin}/send",
      "GET /v1/jobs",
      "GET /v1/jobs/{id}",
      "POST /v1/jobs/{id}/refresh",
      "POST /v1/tokens",
      "GET /v1/tokens",
      "DELETE /v1/tokens/{id}",
      "GET /v1/audit",
      "GET /v1/hooks",
      "GET /v1/events",
    ]);
  });

  it("requires a known scope on every route", () => {
    for (const route of routes) expect(SCOPES).toContain(route.scope);
  });

  it("gives every route its own operation id and method and path", () => {
    expect(new Set(routes.map((route) => route.operationId)).size).toBe(routes.length);
    expect(new Set(routes.map((route) => `${route.method} ${route.path}`)).size).toBe(
      routes.length,
    );
  });

  it("declares a params key for each path placeholder and no other", () => {
    for (const route of routes) {
      const placeholders = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      expect(keysOf(route.params)).toEqual(placeholders);
    }
  });

  it("reads a body only on routes that change or check something", () => {
    for (const route of routes) {
      expect(route.body === undefined).toBe(route.method === "GET" || route.method === "DELETE");
    }
  });

  it("derives each wire schema from the route's camelCase schema", () => {
    for (const route of ROUTES) {
      for (const part of ROUTE_PARTS) {
        const schema = (route as RouteSpec)[part];
        const wire: Partial<Record<string, unknown>> = route.wire;
        expect(wire[part]).toBe(schema === undefined ? undefined : toWireSchema(schema));
      }
    }
  });

  it("lists the errors each route's inputs can cause", () => {
    for (const route of routes) {
      expect(route.errors).toEqual(
        expect.arrayContaining([
          "PLUGBOARD_UNAUTHORIZED",
          "PLUGBOARD_FORBIDDEN",
          "PLUGBOARD_INTERNAL",
        ]),
      );
      if (route.body !== undefined) expect(route.errors).toContain("PLUGBOARD_VALIDATION_FAILED");
      if (route.params !== undefined || route.query !== undefined || route.body !== undefined) {
        expect(route.errors).toContain("PLUGBOARD_BAD_REQUEST");
      }
      if (route.params !== undefined) expect(route.errors).toContain("PLUGBOARD_NOT_FOUND");
      expect(new Set(route.errors).size).toBe(route.errors.length);
    }
  });
});
