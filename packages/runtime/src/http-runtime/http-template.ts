import { formatPath, type JsonValue } from "@plugboard/plugin-sdk";
import { HttpRuntimeError } from "./http-runtime-errors.js";
import { type PathStep, parseValuePath, readValuePath } from "./value-path.js";

/** What placeholders read from: the call's input and the plugin's settings. */
export interface TemplateValues {
  readonly input: Readonly<Record<string, JsonValue>>;
  readonly config: Readonly<Record<string, JsonValue>>;
}

/** The two roots a placeholder path may start from. */
export const TEMPLATE_ROOTS = ["input", "config"] as const;

export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "placeholder"; readonly source: string; readonly steps: readonly PathStep[] };

/** A template parsed once, with the operation and manifest field it came from. */
export interface ParsedTemplate {
  readonly operation: string;
  readonly path: string;
  readonly parts: readonly TemplatePart[];
}

/** Where a template sits in the manifest: the operation, and the field as a path array. */
export interface TemplateSite {
  readonly operation: string;
  readonly field: readonly PropertyKey[];
}

/** The author-form path of a field of an operation: `runtime.operations.send_fax.url`. */
export function operationFieldPath(operation: string, field: readonly PropertyKey[]): string {
  return formatPath(["runtime", "operations", operation, ...field]);
}

function isRoot(key: string): boolean {
  return TEMPLATE_ROOTS.some((root) => root === key);
}

/**
 * Parses the `{{ path }}` placeholders of a template once. A path starts at `input` or
 * `config` and takes at least one `.name` or `[index]` step; whitespace inside the braces is
 * optional. There is no escape for a literal `{{`. Throws `template_invalid` for an unclosed
 * or malformed placeholder.
 *
 * @example parseTemplate("fax {{ input.jobId }}", { operation: "get_status", field: ["url"] })
 */
export function parseTemplate(text: string, site: TemplateSite): ParsedTemplate {
  const path = operationFieldPath(site.operation, site.field);
  const invalid = (message: string) =>
    new HttpRuntimeError("template_invalid", message, { operation: site.operation, path });
  const parts: TemplatePart[] = [];
  let rest = 0;
  for (let open = text.indexOf("{{"); open !== -1; open = text.indexOf("{{", rest)) {
    const close = text.indexOf("}}", open + 2);
    if (close === -1) throw invalid(`the placeholder at character ${open} is not closed by }}`);
    const source = text.slice(open, close + 2);
    const steps = parseValuePath(text.slice(open + 2, close).trim());
    const [root] = steps ?? [];
    if (steps === undefined || root?.kind !== "key" || !isRoot(root.key) || steps.length < 2) {
      throw invalid(
        `${source} is not a placeholder: expected {{ input.<name> }} or {{ config.<name> }}, with .name and [index] steps`,
      );
    }
    if (open > rest) parts.push({ kind: "text", text: text.slice(rest, open) });
    parts.push({ kind: "placeholder", source, steps });
    rest = close + 2;
  }
  if (rest < text.length || parts.length === 0)
    parts.push({ kind: "text", text: text.slice(rest) });
  return { operation: site.operation, path, parts };
}

/** The placeholder when the template is exactly one placeholder and nothing else. */
export function solePlaceholder(
  template: ParsedTemplate,
): Extract<TemplatePart, { kind: "placeholder" }> | undefined {
  const [only, ...others] = template.parts;
  return others.length === 0 && only?.kind === "placeholder" ? only : undefined;
}

/** True when the template holds no placeholder. */
export function isLiteral(template: ParsedTemplate): boolean {
  return template.parts.every((part) => part.kind === "text");
}

function site(template: ParsedTemplate) {
  return { operation: template.operation, path: template.path };
}

/**
 * The value a placeholder names. Throws `value_missing` when the path is absent or
 * `undefined`, naming the placeholder and the first absent step.
 */
export function resolvePlaceholder(
  template: ParsedTemplate,
  placeholder: Extract<TemplatePart, { kind: "placeholder" }>,
  values: TemplateValues,
): JsonValue {
  const reading = readValuePath({ input: values.input, config: values.config }, placeholder.steps);
  if (!reading.found) {
    throw new HttpRuntimeError(
      "value_missing",
      `${placeholder.source} has no value: ${reading.missing} is missing`,
      site(template),
    );
  }
  return reading.value;
}

// In a `u` regular expression a well-formed surrogate pair is one code point, so only a lone
// surrogate matches: text that no UTF-8 encoder can write as it is.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * A placeholder's value as text: a string as it is, a number or boolean through `String()`,
 * `null` as the empty string. Objects and arrays, and strings with a lone surrogate, are
 * `value_invalid`.
 */
export function placeholderText(
  template: ParsedTemplate,
  placeholder: Extract<TemplatePart, { kind: "placeholder" }>,
  values: TemplateValues,
): string {
  const value = resolvePlaceholder(template, placeholder, values);
  if (value === null) return "";
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) {
      throw new HttpRuntimeError(
        "value_invalid",
        `${placeholder.source} holds a lone surrogate, which is not Unicode text`,
        site(template),
      );
    }
    return value;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new HttpRuntimeError(
    "value_invalid",
    `${placeholder.source} is ${Array.isArray(value) ? "an array" : "an object"}; only a string, number, boolean or null can be written into text`,
    site(template),
  );
}

/**
 * Renders a template as text, each placeholder's text passed through `encode` (such as
 * `encodeURIComponent`) and the literal text kept as written.
 */
export function renderText(
  template: ParsedTemplate,
  values: TemplateValues,
  encode: (text: string) => string = (text) => text,
): string {
  return template.parts
    .map((part) =>
      part.kind === "text" ? part.text : encode(placeholderText(template, part, values)),
    )
    .join("");
}
