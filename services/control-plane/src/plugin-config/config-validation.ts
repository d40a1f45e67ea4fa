import type { Issue } from "@plugboard/contracts";
import { type ConfigProperty, type ConfigSchema, formatPath } from "@plugboard/plugin-sdk";

type ConfigType = ConfigProperty["type"];
type ItemType = NonNullable<ConfigProperty["items"]>["type"];
type Format = NonNullable<ConfigProperty["format"]>;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function hasType(value: unknown, type: ConfigType | ItemType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    default: {
      const _exhaustive: never = type;
      return _exhaustive;
    }
  }
}

const RFC3339 =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[Tt](?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function hasFormat(value: string, format: Format): boolean {
  switch (format) {
    case "uri":
      return URI_SCHEME.test(value) && URL.canParse(value);
    case "email":
      return value.length <= 254 && EMAIL.test(value);
    case "hostname":
      return value.length <= 253 && value.split(".").every((label) => HOST_LABEL.test(label));
    case "date-time":
      return RFC3339.test(value) && !Number.isNaN(Date.parse(value));
    default: {
      const _exhaustive: never = format;
      return _exhaustive;
    }
  }
}

function listed(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(", ");
}

/** Checks one value against a type and enum; returns false when it failed (nothing more to check). */
function checkTypeAndEnum(
  spec: { readonly type: ConfigType | ItemType; readonly enum?: readonly unknown[] | undefined },
  value: unknown,
  path: string,
  issues: Issue[],
): boolean {
  if (!hasType(value, spec.type)) {
    issues.push({
      path,
      code: "invalid_type",
      message: `expected ${spec.type}, got ${describe(value)}`,
    });
    return false;
  }
  if (spec.enum !== undefined && !spec.enum.some((member) => member === value)) {
    issues.push({ path, code: "invalid_value", message: `expected one of ${listed(spec.enum)}` });
    return false;
  }
  return true;
}

function checkString(property: ConfigProperty, value: string, path: string, issues: Issue[]) {
  // JSON Schema counts characters (code points), not UTF-16 units.
  const length = [...value].length;
  if (property.minLength !== undefined && length < property.minLength) {
    issues.push({
      path,
      code: "too_small",
      message: `expected at least ${property.minLength} characters, got ${length}`,
    });
  }
  if (property.maxLength !== undefined && length > property.maxLength) {
    issues.push({
      path,
      code: "too_big",
      message: `expected at most ${property.maxLength} characters, got ${length}`,
    });
  }
  if (property.pattern !== undefined) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(property.pattern, "u");
    } catch {
      issues.push({
        path,
        code: "invalid_schema",
        message: `the plugin's configSchema pattern ${JSON.stringify(property.pattern)} is not a valid regular expression`,
      });
    }
    if (pattern !== undefined && !pattern.test(value)) {
      issues.push({
        path,
        code: "invalid_format",
        message: `expected a value matching ${JSON.stringify(property.pattern)}`,
      });
    }
  }
  if (property.format !== undefined && !hasFormat(value, property.format)) {
    issues.push({ path, code: "invalid_format", message: `expected a ${property.format}` });
  }
}

function checkNumber(property: ConfigProperty, value: number, path: string, issues: Issue[]) {
  if (property.minimum !== undefined && value < property.minimum) {
    issues.push({ path, code: "too_small", message: `expected at least ${property.minimum}` });
  }
  if (property.maximum !== undefined && value > property.maximum) {
    issues.push({ path, code: "too_big", message: `expected at most ${property.maximum}` });
  }
}

function checkArray(
  property: ConfigProperty,
  value: readonly unknown[],
  path: readonly (string | number)[],
  issues: Issue[],
) {
  const at = formatPath(path);
  if (property.minItems !== undefined && value.length < property.minItems) {
    issues.push({
      path: at,
      code: "too_small",
      message: `expected at least ${property.minItems} items, got ${value.length}`,
    });
  }
  if (property.maxItems !== undefined && value.length > property.maxItems) {
    issues.push({
      path: at,
      code: "too_big",
      message: `expected at most ${property.maxItems} items, got ${value.length}`,
    });
  }
  const items = property.items;
  if (items === undefined) return;
  value.forEach((item, index) => {
    checkTypeAndEnum(items, item, formatPath([...path, index]), issues);
  });
}

function checkProperty(
  property: ConfigProperty,
  value: unknown,
  path: readonly (string | number)[],
  issues: Issue[],
) {
  const at = formatPath(path);
  if (!checkTypeAndEnum(property, value, at, issues)) return;
  if (typeof value === "string") checkString(property, value, at, issues);
  else if (typeof value === "number") checkNumber(property, value, at, issues);
  else if (Array.isArray(value)) checkArray(property, value, path, issues);
}

/**
 * Checks a plugin's settings against its `configSchema` (the SDK's JSON Schema subset: an
 * object of flat properties with type, enum, bounds, length, pattern, format and items).
 * Returns one issue per problem, each with the path as the caller writes it
 * (`config.maxRequests`, `config.extraPatterns[2]`); empty when the settings are valid.
 * Without a schema the plugin takes no settings, so any config is refused. As in JSON
 * Schema, a property's `default` is not filled in, and keys not declared are allowed
 * unless `additionalProperties` is false.
 *
 * @example
 * validateConfig(rateLimitHook.configSchema, { maxRequests: 0 });
 * // [{ path: "config.maxRequests", code: "too_small", message: "expected at least 1" }, …]
 */
export function validateConfig(
  schema: ConfigSchema | undefined,
  config: Readonly<Record<string, unknown>>,
  at = "config",
): Issue[] {
  if (schema === undefined) {
    return [
      {
        path: at,
        code: "no_config_schema",
        message: "this plugin declares no configSchema, so it takes no config",
      },
    ];
  }
  const issues: Issue[] = [];
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(config, key)) {
      issues.push({ path: formatPath([at, key]), code: "required", message: "required" });
    }
  }
  const declared = Object.keys(schema.properties);
  for (const [key, value] of Object.entries(config)) {
    const property = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    if (property !== undefined) {
      checkProperty(property, value, [at, key], issues);
    } else if (schema.additionalProperties === false) {
      issues.push({
        path: formatPath([at, key]),
        code: "unrecognized_key",
        message: `unknown setting "${key}"; expected one of ${declared.join(", ") || "no settings"}`,
      });
    }
  }
  return issues;
}
