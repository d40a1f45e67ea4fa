import { SDK_ERRORS } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { API_ERROR_CODES, API_ERRORS, buildProblem, problemType } from "./errors.js";
import { issuesFromZod } from "./issue.js";
import { ProblemDetailsSchema, ProblemDetailsWireSchema } from "./problem.js";
import { PluginListQueryWireSchema } from "./registry.js";
import { toWire } from "./wire-case.js";

describe("error registry", () => {
  it("gives each code an error status and a title", () => {
    for (const code of API_ERROR_CODES) {
      expect(code).toMatch(/^PLUGBOARD_[A-Z_]+$/);
      expect(API_ERRORS[code].status).toBeGreaterThanOrEqual(400);
      expect(API_ERRORS[code].status).toBeLessThan(600);
      expect(API_ERRORS[code].title.length).toBeGreaterThan(0);
    }
  });

  it("answers the common failures with their HTTP statuses", () => {
    expect(API_ERRORS.PLUGBOARD_BAD_REQUEST.status).toBe(400);
    expect(API_ERRORS.PLUGBOARD_UNAUTHORIZED.status).toBe(401);
    expect(API_ERRORS.PLUGBOARD_FORBIDDEN.status).toBe(403);
    expect(API_ERRORS.PLUGBOARD_NOT_FOUND.status).toBe(404);
    expect(API_ERRORS.PLUGBOARD_CONFLICT.status).toBe(409);
    expect(API_ERRORS.PLUGBOARD_VALIDATION_FAILED.status).toBe(422);
    expect(API_ERRORS.PLUGBOARD_INTERNAL.status).toBe(500);
  });

  it("includes the SDK's own errors with the SDK's statuses", () => {
    for (const [code, entry] of Object.entries(SDK_ERRORS)) {
      expect(API_ERRORS[code as keyof typeof SDK_ERRORS]).toEqual(entry);
    }
  });

  it("derives a distinct problem type from each code", () => {
    expect(problemType("PLUGBOARD_NOT_FOUND")).toBe("urn:plugboard:problem:not-found");
    expect(new Set(API_ERROR_CODES.map(problemType)).size).toBe(API_ERROR_CODES.length);
  });
});

describe("problem documents", () => {
  it("builds a problem whose status and title come from the registry", () => {
    const problem = buildProblem("PLUGBOARD_NOT_FOUND", {
      detail: 'no plugin has id "provider.fax"',
      instance: "/v1/plugins/provider.fax",
    });
    expect(ProblemDetailsSchema.parse(problem)).toEqual({
      type: "urn:plugboard:problem:not-found",
      title: "Resource not found",
      status: 404,
      code: "PLUGBOARD_NOT_FOUND",
      detail: 'no plugin has id "provider.fax"',
      instance: "/v1/plugins/provider.fax",
      errors: [],
    });
  });

  it("names every offending query parameter of a bad request", () => {
    const parsed = PluginListQueryWireSchema.safeParse({ kind: "widget", stability: "beta" });
    const problem = buildProblem("PLUGBOARD_BAD_REQUEST", {
      errors: issuesFromZod(parsed.error?.issues ?? []),
    });
    expect(problem.status).toBe(400);
    expect(problem.errors.map((error) => error.path)).toEqual(["kind", "stability"]);
    expect(problem.errors[0]?.code).toBe("invalid_value");
  });

  it("sends the request id in snake_case and nothing else renamed", () => {
    const problem = buildProblem("PLUGBOARD_INTERNAL", { requestId: "req-7f3a" });
    const wire = toWire(ProblemDetailsSchema, problem);
    expect(wire).toMatchObject({ request_id: "req-7f3a", status: 500, errors: [] });
    expect(ProblemDetailsWireSchema.parse(wire)).toEqual(wire);
    expect(ProblemDetailsWireSchema.safeParse({ ...wire, requestId: "x" }).success).toBe(false);
  });

  it("rejects a problem with a code the registry does not declare", () => {
    const wire = toWire(ProblemDetailsSchema, buildProblem("PLUGBOARD_CONFLICT"));
    const result = ProblemDetailsWireSchema.safeParse({ ...wire, code: "PLUGBOARD_TEAPOT" });
    expect(result.error?.issues[0]?.path).toEqual(["code"]);
  });

  it("reports one error per unknown key", () => {
    const parsed = PluginListQueryWireSchema.safeParse({ sort: "name", limit: "10" });
    expect(issuesFromZod(parsed.error?.issues ?? [])).toEqual([
      { path: "sort", message: 'unknown field "sort"', code: "unrecognized_key" },
      { path: "limit", message: 'unknown field "limit"', code: "unrecognized_key" },
    ]);
  });
});
