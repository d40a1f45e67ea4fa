import {
  BUILT_IN_KINDS,
  ConfigSchemaSchema,
  HttpRuntimeSchema,
  ModuleRuntimeSchema,
  PLUGBOARD_API_VERSION,
  SetupStepSchema,
} from "@plugboard/plugin-sdk";
import { z } from "zod";
import type { RouteSpec } from "./define-route.js";
import { API_ERRORS, type ApiErrorCode } from "./errors.js";
import { IssueSchema, RegistryProblemSchema } from "./issue.js";
import {
  ManifestValidationRequestSchema,
  ManifestValidationResultSchema,
} from "./manifest-validation.js";
import { PROBLEM_CONTENT_TYPE, ProblemDetailsSchema } from "./problem.js";
import {
  InstallationSchema,
  PluginDetailResponseSchema,
  PluginListResponseSchema,
  PluginVersionSchema,
  REGISTRY_ENTRY_SCHEMAS,
  RegistryEntrySchema,
  RegistryResponseSchema,
} from "./registry.js";
import { defOf } from "./renamed-keys.js";
import { ROUTES } from "./routes.js";
import { toWireSchema } from "./wire-case.js";
import {
  RuntimePackSummarySchema,
  WorkerInstallRequestSchema,
  WorkerInstallResultSchema,
  WorkerPackListingSchema,
  WorkerPackListResponseSchema,
} from "./worker-packs.js";

/** A JSON Schema (2020-12) object as it appears in the document. */
export type JsonSchemaObject = Record<string, unknown>;

export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly servers?: readonly OpenApiServer[];
  readonly tags: readonly { readonly name: string }[];
  readonly paths: Record<string, Record<string, JsonSchemaObject>>;
  readonly components: {
    readonly schemas: Record<string, JsonSchemaObject>;
    readonly securitySchemes: Record<string, JsonSchemaObject>;
  };
}

export interface OpenApiServer {
  readonly url: string;
  readonly description?: string;
}

export interface OpenApiOptions {
  /** The routes to document; every route of the API when omitted. */
  readonly routes?: readonly RouteSpec[];
  readonly servers?: readonly OpenApiServer[];
}

const TARGET = "draft-2020-12";
const SCHEMA_REF = "#/components/schemas/";
const SHARED_REF = `${SCHEMA_REF}__shared#/$defs/`;
const SECURITY_SCHEME = "bearerAuth";

function pascalCase(name: string): string {
  return name.replace(/(?:^|[_-])([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Shared schemas the document names, in their camelCase form. */
function namedSchemas(): Array<readonly [string, z.core.$ZodType]> {
  return [
    ["ProblemDetails", ProblemDetailsSchema],
    ["Issue", IssueSchema],
    ["RegistryProblem", RegistryProblemSchema],
    ["SetupStep", SetupStepSchema],
    ["ConfigSchema", ConfigSchemaSchema],
    ["ModuleRuntime", ModuleRuntimeSchema],
    ["HttpRuntime", HttpRuntimeSchema],
    ["Installation", InstallationSchema],
    ...BUILT_IN_KINDS.map(
      (kind) => [`${pascalCase(kind.name)}Entry`, REGISTRY_ENTRY_SCHEMAS[kind.name]] as const,
    ),
    ["RegistryEntry", RegistryEntrySchema],
    ["RegistryResponse", RegistryResponseSchema],
    ["PluginListResponse", PluginListResponseSchema],
    ["PluginVersion", PluginVersionSchema],
    ["PluginDetailResponse", PluginDetailResponseSchema],
    ["RuntimePackSummary", RuntimePackSummarySchema],
    ["WorkerPackListing", WorkerPackListingSchema],
    ["WorkerPackListResponse", WorkerPackListResponseSchema],
    ["WorkerInstallRequest", WorkerInstallRequestSchema],
    ["WorkerInstallResult", WorkerInstallResultSchema],
    ["ManifestValidationRequest", ManifestValidationRequestSchema],
    ["ManifestValidationResult", ManifestValidationResultSchema],
  ];
}

/** Wire schema → component name; a route's body or response without a name gets one. */
function componentNames(routes: readonly RouteSpec[]): Map<z.core.$ZodType, string> {
  const names = new Map<z.core.$ZodType, string>();
  const taken = new Set<string>();
  const name = (schema: z.core.$ZodType, wanted: string) => {
    const wire = toWireSchema(schema);
    if (names.has(wire)) return;
    if (taken.has(wanted)) throw new TypeError(`two schemas are named ${wanted}`);
    names.set(wire, wanted);
    taken.add(wanted);
  };
  for (const [wanted, schema] of namedSchemas()) name(schema, wanted);
  for (const route of routes) {
    if (route.body !== undefined) name(route.body, `${pascalCase(route.operationId)}Request`);
    name(route.response, `${pascalCase(route.operationId)}Response`);
  }
  return names;
}

/** Replaces every `$ref` string in a JSON value. */
function rewriteRefs(value: unknown, rewrite: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, rewrite));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === "$ref" && typeof child === "string" ? rewrite(child) : rewriteRefs(child, rewrite),
    ]),
  );
}

/** The JSON Schema zod writes for `z.json()` when it has to share it, for naming it. */
function sharedJsonValueText(): string {
  const probe = z.registry<{ id: string }>();
  probe.add(z.strictObject({ value: z.json() }), { id: "Probe" });
  const { schemas } = z.toJSONSchema(probe, { target: TARGET, uri: (id) => SCHEMA_REF + id });
  const defs = (schemas.__shared?.$defs ?? {}) as Record<string, unknown>;
  const [key, def] = Object.entries(defs)[0] ?? ["", {}];
  return JSON.stringify(def).replaceAll(`${SHARED_REF}${key}"`, 'SELF"');
}

/**
 * Component schemas for one direction. Zod writes schemas it must share (recursive ones,
 * such as `z.json()`) under `__shared`, and an `$id` and `$schema` on each; a component of
 * an OpenAPI 3.1 document needs neither, and shared schemas become components of their own.
 */
function componentSchemas(
  names: ReadonlyMap<z.core.$ZodType, string>,
  io: "input" | "output",
): Record<string, JsonSchemaObject> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of names) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: TARGET,
    io,
    unrepresentable: "throw",
    uri: (id) => SCHEMA_REF + id,
  });
  const { __shared: shared, ...named } = schemas;
  const jsonValue = sharedJsonValueText();
  const sharedNames = new Map<string, string>();
  const sharedDefs = Object.entries((shared?.$defs ?? {}) as Record<string, JsonSchemaObject>);
  for (const [key, def] of sharedDefs) {
    const text = JSON.stringify(def).replaceAll(`${SHARED_REF}${key}"`, 'SELF"');
    sharedNames.set(key, text === jsonValue ? "JsonValue" : `Shared${pascalCase(key)}`);
  }
  const rewrite = (ref: string) =>
    ref.startsWith(SHARED_REF)
      ? SCHEMA_REF + (sharedNames.get(ref.slice(SHARED_REF.length)) ?? ref)
      : ref;
  const out: Record<string, JsonSchemaObject> = {};
  for (const [name, { $schema: _s, $id: _i, ...schema }] of Object.entries(named)) {
    out[name] = rewriteRefs(schema, rewrite) as JsonSchemaObject;
  }
  for (const [key, def] of sharedDefs) {
    out[sharedNames.get(key) ?? key] = rewriteRefs(def, rewrite) as JsonSchemaObject;
  }
  return out;
}

function inlineSchema(schema: z.core.$ZodType): JsonSchemaObject {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: TARGET, io: "input" });
  return rest;
}

function parameters(route: RouteSpec): JsonSchemaObject[] {
  const out: JsonSchemaObject[] = [];
  for (const [location, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (schema === undefined) continue;
    const def = defOf(toWireSchema(schema));
    if (def.type !== "object")
      throw new TypeError(`${route.operationId}: ${location} must be an object`);
    for (const [name, field] of Object.entries(def.shape)) {
      const required = location === "path" || !z.safeParse(field, undefined).success;
      out.push({ name, in: location, required, schema: inlineSchema(field) });
    }
  }
  return out;
}

function ref(names: ReadonlyMap<z.core.$ZodType, string>, schema: z.core.$ZodType) {
  return { $ref: SCHEMA_REF + names.get(toWireSchema(schema)) };
}

function errorResponses(codes: readonly ApiErrorCode[]): Record<string, JsonSchemaObject> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) {
    const status = API_ERRORS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, JsonSchemaObject> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: group.map((code) => `${API_ERRORS[code].title} (${code})`).join("; "),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `${SCHEMA_REF}ProblemDetails` } } },
    };
  }
  return out;
}

function operation(route: RouteSpec, names: ReadonlyMap<z.core.$ZodType, string>) {
  const tag = route.path.split("/")[2] ?? "";
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [tag],
    security: [{ [SECURITY_SCHEME]: [route.scope] }],
    parameters: parameters(route),
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref(names, route.body) } },
          },
        }),
    responses: {
      [String(route.successStatus)]: {
        description: route.summary,
        content: { "application/json": { schema: ref(names, route.response) } },
      },
      ...errorResponses(route.errors),
    },
  };
}

/**
 * Builds the OpenAPI 3.1 document of the API from the route table. Schemas are the wire
 * (snake_case) forms; requests and responses share components only where both directions
 * write the same JSON Schema.
 */
export function buildOpenApiDocument(options: OpenApiOptions = {}): OpenApiDocument {
  const routes = options.routes ?? ROUTES;
  const names = componentNames(routes);
  const output = componentSchemas(names, "output");
  const input = componentSchemas(names, "input");
  for (const [name, schema] of Object.entries(input)) {
    if (JSON.stringify(schema) !== JSON.stringify(output[name])) {
      throw new TypeError(`component ${name} reads differently from how it is written`);
    }
  }
  const paths: Record<string, Record<string, JsonSchemaObject>> = {};
  for (const route of routes) {
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation(route, names);
    paths[route.path] = item;
  }
  const tags = [...new Set(routes.map((route) => route.path.split("/")[2] ?? ""))];
  return {
    openapi: "3.1.0",
    info: {
      title: "Plugboard control plane API",
      version: PLUGBOARD_API_VERSION,
      description:
        "JSON over HTTP with snake_case keys. Errors are application/problem+json documents naming the offending paths.",
    },
    ...(options.servers === undefined ? {} : { servers: options.servers }),
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      schemas: output,
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: "http",
          scheme: "bearer",
          description: "A Plugboard API token; each operation lists the scope it requires.",
        },
      },
    },
  };
}
