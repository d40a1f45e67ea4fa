import type { ConfigSchema } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { defOf, hasRenamedKeys } from "./renamed-keys.js";
import { toWireKey, type WireKey } from "./wire-key.js";

/**
 * The one mapping between camelCase objects in code and snake_case objects on the wire,
 * driven by zod schemas. Object keys declared in a schema's shape are renamed; record keys
 * are data (config property names, operation names, header names) and keep their spelling.
 */

type Primitive = string | number | boolean | bigint | symbol | null | undefined | Date;

/**
 * The wire form of a camelCase value type: object keys renamed, everything else kept. A type
 * at least as wide as any JSON value (`unknown`, the output of `z.json()`) is data and stays.
 */
export type WireValue<T> = [z.core.util.JSONType] extends [T] ? T : WireShape<T>;

type WireShape<T> = T extends ConfigSchema
  ? T
  : T extends Primitive
    ? T
    : T extends readonly unknown[]
      ? { [I in keyof T]: WireValue<T[I]> }
      : T extends object
        ? { [K in keyof T as K extends string ? WireKey<K> : K]: WireValue<T[K]> }
        : T;

/** The schema `toWireSchema` derives from a camelCase schema. */
export type WireSchema<S extends z.core.$ZodType> = z.ZodType<
  WireValue<z.output<S>>,
  WireValue<z.input<S>>
>;

function rejectRefinements(schema: z.core.$ZodType, what: string): void {
  const custom = (schema._zod.def.checks ?? []).some((check) => check._zod.def.check === "custom");
  if (custom) {
    throw new TypeError(
      `cannot derive the wire form of ${what} with a refinement: it would run on snake_case keys; refine a field, or check after fromWire`,
    );
  }
}

function wireShape(shape: z.core.$ZodShape): Record<string, z.core.$ZodType> {
  const out: Record<string, z.core.$ZodType> = {};
  for (const [key, value] of Object.entries(shape)) {
    const wireKey = toWireKey(key);
    if (Object.hasOwn(out, wireKey)) {
      throw new TypeError(`object keys collide on the wire: two keys map to "${wireKey}"`);
    }
    out[wireKey] = deriveWireSchema(value);
  }
  return out;
}

const wireSchemas = new WeakMap<z.core.$ZodType, z.core.$ZodType>();

function deriveWireSchema(schema: z.core.$ZodType): z.core.$ZodType {
  const cached = wireSchemas.get(schema);
  if (cached !== undefined) return cached;
  if (!hasRenamedKeys(schema)) return schema;
  const wire = buildWireSchema(schema);
  // Keep descriptions and other metadata, but not an id: ids name one schema only.
  const meta = z.globalRegistry.get(schema);
  if (meta !== undefined) {
    const { id: _id, ...rest } = meta;
    z.globalRegistry.add(wire, rest);
  }
  wireSchemas.set(schema, wire);
  return wire;
}

/** A copy of `schema` built from `def`: same class, same checks and settings. */
function clone<D extends z.core.$ZodTypeDef>(schema: z.core.$ZodType, def: D): z.core.$ZodType {
  return z.core.util.clone(schema, def);
}

function buildWireSchema(schema: z.core.$ZodType): z.core.$ZodType {
  const def = defOf(schema);
  if (def.type !== "lazy") rejectRefinements(schema, `a ${def.type} schema`);
  switch (def.type) {
    case "object":
      return clone(schema, { ...def, shape: wireShape(def.shape) });
    case "array":
      return clone(schema, { ...def, element: deriveWireSchema(def.element) });
    case "record":
      return clone(schema, { ...def, valueType: deriveWireSchema(def.valueType) });
    case "union": {
      const options = def.options.map(deriveWireSchema);
      if (!("discriminator" in def) || typeof def.discriminator !== "string") {
        return clone(schema, { ...def, options });
      }
      return clone(schema, { ...def, options, discriminator: toWireKey(def.discriminator) });
    }
    case "intersection":
      return clone(schema, {
        ...def,
        left: deriveWireSchema(def.left),
        right: deriveWireSchema(def.right),
      });
    case "tuple":
      return clone(schema, {
        ...def,
        items: def.items.map(deriveWireSchema),
        rest: def.rest === null ? null : deriveWireSchema(def.rest),
      });
    case "pipe":
      if (def.in._zod.def.type === "transform" || def.out._zod.def.type === "transform") {
        throw new TypeError("cannot derive the wire form of a transform over renamed keys");
      }
      return clone(schema, {
        ...def,
        in: deriveWireSchema(def.in),
        out: deriveWireSchema(def.out),
      });
    case "lazy": {
      const getter = def.getter;
      return z.lazy(() => deriveWireSchema(getter()));
    }
    case "default":
    case "prefault": {
      const inner = def.innerType;
      return clone(schema, {
        ...def,
        innerType: deriveWireSchema(inner),
        get defaultValue() {
          return convert(inner, def.defaultValue, "toWire");
        },
      });
    }
    case "catch": {
      const inner = def.innerType;
      const catchValue = def.catchValue;
      return clone(schema, {
        ...def,
        innerType: deriveWireSchema(inner),
        catchValue: (ctx: z.core.$ZodCatchCtx) => convert(inner, catchValue(ctx), "toWire"),
      });
    }
    case "optional":
    case "nullable":
    case "nonoptional":
    case "readonly":
    case "success":
      return clone(schema, { ...def, innerType: deriveWireSchema(def.innerType) });
    default:
      throw new TypeError(`cannot derive the wire form of a ${def.type} schema with object keys`);
  }
}

type Direction = "toWire" | "fromWire";

const wireToCode = new WeakMap<z.core.$ZodType, ReadonlyMap<string, string>>();

/** Wire key → code key for one object shape. */
function keysFromWire(
  schema: z.core.$ZodType,
  shape: z.core.$ZodShape,
): ReadonlyMap<string, string> {
  let keys = wireToCode.get(schema);
  if (keys === undefined) {
    keys = new Map(Object.keys(shape).map((key) => [toWireKey(key), key]));
    wireToCode.set(schema, keys);
  }
  return keys;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The option of a union a value belongs to, judged in the value's own spelling. */
function unionOption(
  def: z.core.$ZodUnionDef | z.core.$ZodDiscriminatedUnionDef,
  value: unknown,
  direction: Direction,
): z.core.$ZodType | undefined {
  if ("discriminator" in def && typeof def.discriminator === "string" && isPlainObject(value)) {
    const key = direction === "toWire" ? def.discriminator : toWireKey(def.discriminator);
    const tag = value[key];
    const tags = (option: z.core.$ZodType) => option._zod.propValues?.[def.discriminator] ?? [];
    return def.options.find((option) => [...tags(option)].some((known) => known === tag));
  }
  const spelled = (option: z.core.$ZodType) =>
    direction === "toWire" ? option : deriveWireSchema(option);
  return def.options.find((option) => z.safeParse(spelled(option), value).success);
}

function convertObject(
  schema: z.core.$ZodType,
  shape: z.core.$ZodShape,
  value: unknown,
  direction: Direction,
): unknown {
  if (!isPlainObject(value)) return value;
  const fromWire = keysFromWire(schema, shape);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const codeKey = direction === "toWire" ? key : (fromWire.get(key) ?? key);
    const fieldSchema = Object.hasOwn(shape, codeKey) ? shape[codeKey] : undefined;
    if (fieldSchema === undefined) {
      // A key the shape does not declare (a loose object's extra) is data: keep it.
      out[key] = field;
      continue;
    }
    out[direction === "toWire" ? toWireKey(codeKey) : codeKey] = convert(
      fieldSchema,
      field,
      direction,
    );
  }
  return out;
}

function convert(schema: z.core.$ZodType, value: unknown, direction: Direction): unknown {
  if (!hasRenamedKeys(schema)) return value;
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return convertObject(schema, def.shape, value, direction);
    case "array":
      return Array.isArray(value)
        ? value.map((item) => convert(def.element, item, direction))
        : value;
    case "record": {
      if (!isPlainObject(value)) return value;
      const entries = Object.entries(value).map(([k, v]) => [
        k,
        convert(def.valueType, v, direction),
      ]);
      return Object.fromEntries(entries);
    }
    case "union": {
      const option = unionOption(def, value, direction);
      return option === undefined ? value : convert(option, value, direction);
    }
    case "intersection":
      return convert(def.right, convert(def.left, value, direction), direction);
    case "tuple":
      if (!Array.isArray(value)) return value;
      return value.map((item, index) => {
        const itemSchema = def.items[index] ?? def.rest;
        return itemSchema === null || itemSchema === undefined
          ? item
          : convert(itemSchema, item, direction);
      });
    case "pipe":
      return convert(def.out._zod.def.type === "transform" ? def.in : def.out, value, direction);
    case "lazy":
      return convert(def.getter(), value, direction);
    case "optional":
      return value === undefined ? value : convert(def.innerType, value, direction);
    case "nullable":
      return value === null ? value : convert(def.innerType, value, direction);
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
    case "success":
      return convert(def.innerType, value, direction);
    default:
      return value;
  }
}

/**
 * Derives the wire schema of a camelCase schema: the same checks and strictness, with object
 * keys in snake_case. Memoized, so a schema nested in several places has one wire form.
 *
 * @example
 * const WireStep = toWireSchema(SetupStepSchema); // parses { cta_label: "Connect", … }
 */
export function toWireSchema<S extends z.core.$ZodType>(schema: S): WireSchema<S> {
  // The walk keeps every check and changes only key spellings, which WireValue mirrors.
  return deriveWireSchema(schema) as unknown as WireSchema<S>;
}

/** Converts a value of a camelCase schema to its wire form. Does not validate. */
export function toWire<S extends z.core.$ZodType>(
  schema: S,
  value: z.output<S>,
): WireValue<z.output<S>> {
  return convert(schema, value, "toWire") as WireValue<z.output<S>>;
}

/** Converts a wire value back to the camelCase form of `schema`. Does not validate. */
export function fromWire<S extends z.core.$ZodType>(
  schema: S,
  wireValue: WireValue<z.output<S>>,
): z.output<S> {
  return convert(schema, wireValue, "fromWire") as z.output<S>;
}

/** Parses untrusted wire input with the wire schema, then returns it in camelCase. */
export function parseWire<S extends z.core.$ZodType>(schema: S, input: unknown): z.output<S> {
  return fromWire(schema, toWireSchema(schema).parse(input));
}

/** What `safeParseWire` returns: the camelCase value, or zod's error with wire paths. */
export type WireParseResult<S extends z.core.$ZodType> =
  | { readonly success: true; readonly data: z.output<S> }
  | { readonly success: false; readonly error: z.ZodError<WireValue<z.output<S>>> };

/** Like `parseWire`, but returns the outcome instead of throwing; issue paths are wire paths. */
export function safeParseWire<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
): WireParseResult<S> {
  const result = toWireSchema(schema).safeParse(input);
  return result.success
    ? { success: true, data: fromWire(schema, result.data) }
    : { success: false, error: result.error };
}
