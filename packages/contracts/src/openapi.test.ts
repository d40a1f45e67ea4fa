import { describe, expect, it } from "vitest";
import { z } from "zod";
import { API_ERRORS } from "./errors.js";
import { EXAMPLE_MANIFESTS, gmailProvider, rateLimitHook } from "./fixtures/example-manifests.js";
import { registryResponseOf } from "./fixtures/registry-entries.js";
import { buildOpenApiDocument, type JsonSchemaObject } from "./openapi.js";
import { PROBLEM_CONTENT_TYPE } from "./problem.js";
import { RegistryResponseSchema, RegistryResponseWireSchema } from "./registry.js";
import { getRegistryRoute, ROUTES } from "./routes.js";
import { toWire } from "./wire-case.js";

const document = buildOpenApiDocument();

/** Every value of `key` anywhere in a JSON value, with where it was found. */
function collect(value: unknown, key: string, at = "#"): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.flatMap((item, i) => collect(item, key, `${at}/${i}`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(
    ([name, child]): Array<[string, unknown]> => [
      ...(name === key ? [[at, child] as [string, unknown]] : []),
      ...collect(child, key, `${at}/${name}`),
    ],
  );
}

function resolve(pointer: string): unknown {
  if (!pointer.startsWith("#/")) return undefined;
  let node: unknown = document;
  for (const raw of pointer.slice(2).split("/")) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, segment))
      return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** A component as a standalone JSON Schema, the other components under `$defs`. */
function standalone(name: string): z.ZodType {
  const text = JSON.stringify({
    ...document.components.schemas[name],
    $defs: document.components.schemas,
  });
  const schema = JSON.parse(text.replaceAll('"#/components/schemas/', '"#/$defs/'));
  return z.fromJSONSchema(schema);
}

function operationOf(path: string, method: string): JsonSchemaObject {
  const operation = document.paths[path]?.[method];
  if (operation === undefined) throw new Error(`${method} ${path} is not documented`);
  return operation;
}

describe("OpenAPI document", () => {
  it("is an OpenAPI 3.1.0 document", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it("documents every route with its method, operation id and scope", () => {
    for (const route of ROUTES) {
      const operation = operationOf(route.path, route.method.toLowerCase());
      expect(operation.operationId).toBe(route.operationId);
      expect(operation.security).toEqual([{ bearerAuth: [route.scope] }]);
    }
    const documented = Object.values(document.paths).flatMap((item) => Object.keys(item));
    expect(documented).toHaveLength(ROUTES.length);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
  });

  it("resolves every $ref inside the document", () => {
    const refs = collect(document, "$ref");
    expect(refs.length).toBeGreaterThan(20);
    for (const [at, ref] of refs) {
      expect(typeof ref === "string" && resolve(ref) !== undefined, `${ref} at ${at}`).toBe(true);
    }
  });

  it("names shared schemas once and refers to them", () => {
    const schemas = document.components.schemas;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        "RegistryEntry",
        "HookEntry",
        "SetupStep",
        "ProblemDetails",
        "JsonValue",
      ]),
    );
    expect(Object.keys(schemas).some((name) => name.startsWith("__"))).toBe(false);
    for (const schema of Object.values(schemas)) {
      expect(schema).not.toHaveProperty("$id");
      expect(schema).not.toHaveProperty("$schema");
    }
  });

  it("documents each error status as a problem document", () => {
    for (const route of ROUTES) {
      const responses = operationOf(route.path, route.method.toLowerCase()).responses as Record<
        string,
        { content: Record<string, { schema: unknown }> }
      >;
      for (const code of route.errors) {
        const response = responses[String(API_ERRORS[code].status)];
        expect(response?.content[PROBLEM_CONTENT_TYPE]?.schema).toEqual({
          $ref: "#/components/schemas/ProblemDetails",
        });
      }
      expect(responses[String(route.successStatus)]?.content["application/json"]).toBeDefined();
    }
  });

  it("spells every documented field in snake_case, except a plugin's own JSON Schema", () => {
    const { ConfigSchema: _verbatim, ...schemas } = document.components.schemas;
    for (const [at, properties] of collect(schemas, "properties")) {
      if (typeof properties !== "object" || properties === null) continue;
      for (const name of Object.keys(properties)) expect(name, at).not.toMatch(/[A-Z]/);
    }
    const entry = document.components.schemas.HookEntry as { properties: Record<string, unknown> };
    expect(Object.keys(entry.properties)).toEqual(
      expect.arrayContaining(["timeout_ms", "fail_mode", "docs_href", "$schema", "installation"]),
    );
  });

  it("documents path and query parameters from the route schemas", () => {
    expect(operationOf("/v1/plugins/{id}", "get").parameters).toMatchObject([
      { name: "id", in: "path", required: true, schema: { type: "string" } },
    ]);
    const query = operationOf("/v1/plugins", "get").parameters as JsonSchemaObject[];
    expect(query.map((parameter) => [parameter.name, parameter.in, parameter.required])).toEqual([
      ["kind", "query", false],
      ["category", "query", false],
      ["stability", "query", false],
    ]);
    expect(operationOf("/v1/workers", "post").requestBody).toMatchObject({
      required: true,
      content: {
        "application/json": { schema: { $ref: "#/components/schemas/WorkerInstallRequest" } },
      },
    });
  });

  it("describes a registry response built from real manifests", () => {
    const example = toWire(
      RegistryResponseSchema,
      registryResponseOf(Object.values(EXAMPLE_MANIFESTS)),
    );
    expect(RegistryResponseWireSchema.parse(example)).toEqual(example);
    const component = document.components.schemas.RegistryResponse as {
      required: string[];
      properties: { kinds: { required: string[] } };
    };
    expect(Object.keys(example).sort()).toEqual([...component.required].sort());
    expect(Object.keys(example.kinds).sort()).toEqual(
      [...component.properties.kinds.required].sort(),
    );
    expect(example.kinds.connection_provider[0]?.config_schema).toEqual(gmailProvider.configSchema);
    expect(example.kinds.hook[0]?.timeout_ms).toBe(rateLimitHook.timeoutMs);
  });

  it("publishes JSON Schemas that accept real responses and reject camelCase keys", () => {
    const example = toWire(
      RegistryResponseSchema,
      registryResponseOf(Object.values(EXAMPLE_MANIFESTS)),
    );
    const published = standalone("RegistryResponse");
    expect(published.safeParse(example).success).toBe(true);
    const hook = example.kinds.hook[0];
    const camel = { ...example, kinds: { ...example.kinds, hook: [{ ...hook, timeoutMs: 50 }] } };
    expect(published.safeParse(camel).success).toBe(false);
    const problem = {
      type: "urn:plugboard:problem:internal",
      title: "Internal error",
      status: 500,
    };
    const wireProblem = { ...problem, code: "PLUGBOARD_INTERNAL", errors: [], request_id: "r1" };
    expect(standalone("ProblemDetails").safeParse(wireProblem).success).toBe(true);
    expect(standalone("ProblemDetails").safeParse({ ...wireProblem, code: "NOPE" }).success).toBe(
      false,
    );
  });

  it("documents a subset of routes and the servers it is given", () => {
    const partial = buildOpenApiDocument({
      routes: [getRegistryRoute],
      servers: [{ url: "https://plugboard.internal" }],
    });
    expect(Object.keys(partial.paths)).toEqual(["/v1/registry"]);
    expect(partial.servers).toEqual([{ url: "https://plugboard.internal" }]);
  });

  it("builds the same document every time", () => {
    expect(buildOpenApiDocument()).toEqual(document);
  });
});
