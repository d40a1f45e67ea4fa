import { ConfigSchemaSchema } from "@plugboard/plugin-sdk";
import type { z } from "zod";
import { toWireKey } from "./wire-key.js";

/**
 * Schemas whose values cross the wire exactly as written. A plugin's `configSchema` is a
 * JSON Schema document: renaming `minLength` or `additionalProperties` would make it a
 * document no JSON Schema tool understands.
 */
const VERBATIM: ReadonlySet<z.core.$ZodType> = new Set<z.core.$ZodType>([ConfigSchemaSchema]);

// The walk reads every kind of schema zod has; narrowing to the union of zod's own schema
// types is what lets a switch on `def.type` see each def's fields.
export function defOf(schema: z.core.$ZodType): z.core.$ZodTypes["_zod"]["def"] {
  return (schema as z.core.$ZodTypes)._zod.def;
}

/** The schemas a schema contains, for deciding whether anything below it is renamed. */
function childrenOf(schema: z.core.$ZodType): z.core.$ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return Object.values(def.shape);
    case "array":
      return [def.element];
    case "record":
      return [def.valueType];
    case "union":
      return [...def.options];
    case "intersection":
      return [def.left, def.right];
    case "tuple":
      return def.rest === null ? [...def.items] : [...def.items, def.rest];
    case "pipe":
      return [def.in, def.out];
    case "lazy":
      return [def.getter()];
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
    case "success":
      return [def.innerType];
    default:
      return [];
  }
}

const renames = new WeakMap<z.core.$ZodType, boolean>();

/**
 * Whether any object key below `schema` is renamed. A cycle through `z.lazy` counts as "no"
 * while it is being walked; a "no" is remembered only once the whole walk agrees.
 */
export function hasRenamedKeys(schema: z.core.$ZodType): boolean {
  const visited = new Set<z.core.$ZodType>();
  const walk = (node: z.core.$ZodType): boolean => {
    const known = renames.get(node);
    if (known !== undefined) return known;
    if (VERBATIM.has(node) || visited.has(node)) return false;
    visited.add(node);
    const def = defOf(node);
    const own = def.type === "object" && Object.keys(def.shape).some((k) => toWireKey(k) !== k);
    const result = own || childrenOf(node).some(walk);
    if (result) renames.set(node, true);
    return result;
  };
  const result = walk(schema);
  if (!result) for (const node of visited) renames.set(node, false);
  return result;
}
