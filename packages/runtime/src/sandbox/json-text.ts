import type { JsonValue } from "@plugboard/plugin-sdk";

/** How deep JSON from plugin code may nest; deeper values are refused before any schema runs. */
export const MAX_JSON_DEPTH = 64;

export type JsonTextResult =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly message: string };

/**
 * Parses JSON text that came from plugin code: at most `maxLength` characters, nested at most
 * `MAX_JSON_DEPTH` deep (the check is iterative, so a hostile nesting cannot overflow the host's
 * stack), and without `__proto__` keys, which code that copies objects with assignment would
 * turn into a prototype.
 */
export function readJsonText(text: unknown, maxLength: number): JsonTextResult {
  if (typeof text !== "string")
    return { ok: false, message: `expected JSON text, got a ${typeof text}` };
  if (text.length > maxLength) {
    return { ok: false, message: `${text.length} characters of JSON; the limit is ${maxLength}` };
  }
  let value: JsonValue;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: "the text is not JSON" };
  }
  const problem = shapeProblem(value);
  return problem === undefined ? { ok: true, value } : { ok: false, message: problem };
}

function shapeProblem(root: JsonValue): string | undefined {
  const stack: Array<{ value: JsonValue; depth: number }> = [{ value: root, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, depth } = next;
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) return `the value nests deeper than ${MAX_JSON_DEPTH} levels`;
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    if (Object.hasOwn(value, "__proto__")) return 'an object has a "__proto__" key';
    for (const item of Object.values(value)) stack.push({ value: item, depth: depth + 1 });
  }
  return undefined;
}
