import type { JsonValue } from "@plugboard/plugin-sdk";

/** One step of a value path: a property name or an array index. */
export type PathStep =
  | { readonly kind: "key"; readonly key: string }
  | { readonly kind: "index"; readonly index: number };

/** The grammar of `ResponsePathSchema`: a name, then `.name` and `[index]` steps. */
const VALUE_PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\[[0-9]+\]|\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
const STEP = /\.?([A-Za-z_$][A-Za-z0-9_$]*)|\[([0-9]+)\]/g;

/**
 * The steps of a path such as `data.items[0].id`, or undefined when it does not follow the
 * grammar.
 */
export function parseValuePath(text: string): PathStep[] | undefined {
  if (!VALUE_PATH.test(text)) return undefined;
  return [...text.matchAll(STEP)].map(
    ([, key, index]): PathStep =>
      key === undefined ? { kind: "index", index: Number(index) } : { kind: "key", key },
  );
}

/** A path as written: `data.items[0].id`. */
export function formatValuePath(steps: readonly PathStep[]): string {
  return steps
    .map((step, position) => {
      if (step.kind === "index") return `[${step.index}]`;
      return position === 0 ? step.key : `.${step.key}`;
    })
    .join("");
}

/** What reading a path found: the value, or the shortest prefix of the path that is absent. */
export type PathReading =
  | { readonly found: true; readonly value: JsonValue }
  | { readonly found: false; readonly missing: string };

/**
 * Reads a path from a JSON value through own properties only: a name step reads an own
 * property of a non-array object, an index step an own element of an array. Nothing is read
 * from a prototype, so `__proto__`, `constructor` or an array's `length` are absent unless the
 * value itself holds such a key. A value of `undefined` counts as absent.
 *
 * @example readValuePath({ data: { id: "f-1" } }, parseValuePath("data.id") ?? []) // { found: true, value: "f-1" }
 */
export function readValuePath(root: JsonValue, steps: readonly PathStep[]): PathReading {
  let current: JsonValue = root;
  for (const [position, step] of steps.entries()) {
    const next = readStep(current, step);
    if (next === undefined) {
      return { found: false, missing: formatValuePath(steps.slice(0, position + 1)) };
    }
    current = next;
  }
  return { found: true, value: current };
}

function readStep(value: JsonValue, step: PathStep): JsonValue | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (step.kind === "index") {
    if (!Array.isArray(value) || !Object.hasOwn(value, step.index)) return undefined;
    return value[step.index];
  }
  if (Array.isArray(value) || !Object.hasOwn(value, step.key)) return undefined;
  // The descriptor's value, so not even a getter on a host-made object runs.
  return Object.getOwnPropertyDescriptor(value, step.key)?.value;
}
