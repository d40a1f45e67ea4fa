import type { HttpResponseMapping, JobStatus, JsonValue } from "@plugboard/plugin-sdk";
import { HttpRuntimeError } from "./http-runtime-errors.js";
import { operationFieldPath } from "./http-template.js";
import { type PathStep, parseValuePath, readValuePath } from "./value-path.js";

/** How an HTTP status is treated: a success, a failure worth retrying, or a final one. */
export type HttpStatusClass = "ok" | "retryable" | "permanent";

/**
 * 2xx is `ok`; 408, 425, 429 and 5xx are `retryable`; everything else (other 4xx, and the
 * 1xx and 3xx statuses the egress guard hands back unfollowed) is `permanent`.
 */
export function classifyHttpStatus(status: number): HttpStatusClass {
  if (status >= 200 && status <= 299) return "ok";
  if (status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599)) {
    return "retryable";
  }
  return "permanent";
}

/** Every warning a successful response can carry, declared once with a title. */
export const HTTP_RESPONSE_WARNINGS = {
  field_missing: { title: "A mapped field is not in the response" },
  status_missing: { title: "The status path is not in the response" },
  status_not_text: { title: "The provider status is not a string or number" },
  status_unknown: { title: "The provider status is not in the status map" },
} as const;

export type HttpResponseWarningCode = keyof typeof HTTP_RESPONSE_WARNINGS;

/** Something a response lacked that the mapping asked for; the result is still a success. */
export interface HttpResponseWarning {
  readonly code: HttpResponseWarningCode;
  readonly path: string;
  readonly message: string;
}

/** An operation's response mapping with its paths parsed once. */
export interface CompiledResponseMapping {
  readonly operation: string;
  readonly fields: readonly (readonly [name: string, steps: readonly PathStep[]])[];
  readonly statusPath: readonly PathStep[] | undefined;
  readonly statusMap: Readonly<Record<string, JobStatus>> | undefined;
}

function steps(operation: string, path: string, field: readonly PropertyKey[]): PathStep[] {
  const parsed = parseValuePath(path);
  if (parsed === undefined) {
    throw new HttpRuntimeError(
      "template_invalid",
      `"${path}" is not a response path such as data.id or items[0].status`,
      { operation, path: operationFieldPath(operation, field) },
    );
  }
  return parsed;
}

/** Parses the paths of a response mapping. */
export function compileResponseMapping(
  operation: string,
  mapping: HttpResponseMapping | undefined,
): CompiledResponseMapping {
  return {
    operation,
    fields: Object.entries(mapping?.fields ?? {}).map(([name, path]) => [
      name,
      steps(operation, path, ["response", "fields", name]),
    ]),
    statusPath:
      mapping?.statusPath === undefined
        ? undefined
        : steps(operation, mapping.statusPath, ["response", "statusPath"]),
    statusMap: mapping?.statusMap,
  };
}

/** What a response mapped to, or why it could not be read. */
export type MappedResponse =
  | {
      readonly ok: true;
      readonly fields: Readonly<Record<string, JsonValue>>;
      readonly providerStatus: string | undefined;
      readonly status: JobStatus | undefined;
      readonly warnings: readonly HttpResponseWarning[];
    }
  | { readonly ok: false; readonly message: string };

function parseJson(text: string): { readonly value: JsonValue } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

function readStatus(
  mapping: CompiledResponseMapping,
  body: JsonValue,
  warnings: HttpResponseWarning[],
): { providerStatus: string | undefined; status: JobStatus | undefined } {
  const none = { providerStatus: undefined, status: undefined };
  if (mapping.statusPath === undefined) return none;
  const path = operationFieldPath(mapping.operation, ["response", "statusPath"]);
  const reading = readValuePath(body, mapping.statusPath);
  if (!reading.found) {
    warnings.push({
      code: "status_missing",
      path,
      message: `the response has no ${reading.missing}, so it carries no provider status`,
    });
    return none;
  }
  const { value } = reading;
  if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) {
    warnings.push({
      code: "status_not_text",
      path,
      message: `the provider status is ${value === null ? "null" : `a ${Array.isArray(value) ? "array" : typeof value}`}, not a string or number`,
    });
    return none;
  }
  const providerStatus = String(value);
  if (mapping.statusMap === undefined) return { providerStatus, status: undefined };
  // Own keys only: a status of "constructor" must not find Object.prototype.constructor.
  if (!Object.hasOwn(mapping.statusMap, providerStatus)) {
    warnings.push({
      code: "status_unknown",
      path: operationFieldPath(mapping.operation, ["response", "statusMap"]),
      message: `the provider status ${JSON.stringify(providerStatus.slice(0, 100))} is not in statusMap, so no job status is reported`,
    });
    return { providerStatus, status: undefined };
  }
  return { providerStatus, status: mapping.statusMap[providerStatus] };
}

/**
 * Maps a successful response body: each of `fields` read from its path (own properties
 * only), the provider status read from `statusPath` and looked up in `statusMap`. A field or
 * status that is absent, and a status the map does not list, become warnings, never guesses.
 * A mapping that reads anything needs a JSON body; otherwise the body is not parsed.
 */
export function mapResponse(mapping: CompiledResponseMapping, body: string): MappedResponse {
  if (mapping.fields.length === 0 && mapping.statusPath === undefined) {
    return { ok: true, fields: {}, providerStatus: undefined, status: undefined, warnings: [] };
  }
  const parsed = parseJson(body);
  if (parsed === undefined) {
    return { ok: false, message: "the response body is not JSON, but the operation maps it" };
  }
  const warnings: HttpResponseWarning[] = [];
  const fields = new Map<string, JsonValue>();
  for (const [name, fieldSteps] of mapping.fields) {
    const reading = readValuePath(parsed.value, fieldSteps);
    if (reading.found) fields.set(name, reading.value);
    else {
      warnings.push({
        code: "field_missing",
        path: operationFieldPath(mapping.operation, ["response", "fields", name]),
        message: `the response has no ${reading.missing}, so ${name} is left out`,
      });
    }
  }
  return {
    ok: true,
    fields: Object.fromEntries(fields),
    ...readStatus(mapping, parsed.value, warnings),
    warnings,
  };
}
