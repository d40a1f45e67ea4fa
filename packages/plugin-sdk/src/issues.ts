import type { z } from "zod";

/** One problem in one manifest: where (`setupSteps[1].ctaLabel`), what, and a stable code. */
export interface ManifestIssue {
  readonly path: string;
  readonly message: string;
  readonly code: string;
}

/** Formats a path the way an author writes it: `setupSteps[1].target.surface`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) {
      out += out === "" ? segment : `.${segment}`;
    } else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** Joins a parent path and a child path: `joinPath("a[0]", "b")` is `a[0].b`. */
export function joinPath(parent: string, child: string): string {
  if (parent === "") return child;
  if (child === "") return parent;
  return child.startsWith("[") ? `${parent}${child}` : `${parent}.${child}`;
}

function describeReceived(input: unknown): string {
  if (input === undefined) return "nothing (the field is missing)";
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  if (typeof input === "string") return input.length > 40 ? "a string" : `"${input}"`;
  if (typeof input === "number" || typeof input === "boolean") return String(input);
  return `a value of type ${typeof input}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * The per-parse message builder: says what was expected and what was found. Schema-level
 * messages (such as the id convention of a kind) take precedence over these.
 */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${article(String(issue.expected))}, received ${describeReceived(issue.input)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, received ${describeReceived(issue.input)}`;
    case "too_small":
      return issue.origin === "array"
        ? `expected at least ${String(issue.minimum)} item(s)`
        : issue.origin === "string"
          ? `expected at least ${String(issue.minimum)} character(s)`
          : `expected a value of at least ${String(issue.minimum)}`;
    case "too_big":
      return issue.origin === "array"
        ? `expected at most ${String(issue.maximum)} item(s)`
        : issue.origin === "string"
          ? `expected at most ${String(issue.maximum)} character(s)`
          : `expected a value of at most ${String(issue.maximum)}`;
    case "invalid_format":
      return issue.format === "regex"
        ? `expected a string matching ${String(issue.pattern)}, received ${describeReceived(issue.input)}`
        : `expected a valid ${issue.format}, received ${describeReceived(issue.input)}`;
    case "invalid_key":
      return `key ${describeReceived(issue.input)} is not allowed: ${issue.issues.map((inner) => inner.message).join("; ")}`;
    case "invalid_union":
      if ("options" in issue && Array.isArray(issue.options) && issue.discriminator !== undefined) {
        // An unknown tag of a tagged union (`auth.scheme`): name the tags there are.
        const input: unknown = issue.input;
        const tag =
          typeof input === "object" && input !== null
            ? (input as Record<string, unknown>)[issue.discriminator]
            : undefined;
        const tags = issue.options.map((option: unknown) => JSON.stringify(option)).join(", ");
        return `expected one of ${tags}, received ${describeReceived(tag)}`;
      }
      return `received ${describeReceived(issue.input)}, which matches none of the allowed forms`;
    default:
      return undefined;
  }
}

/** Turns zod's issues into manifest issues, one per unknown key so each lands on its field. */
export function toManifestIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ManifestIssue[] {
  const out: ManifestIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...path, key]),
          message: `unknown field "${key}"`,
          code: "unrecognized_key",
        });
      }
      continue;
    }
    out.push({ path: formatPath(path), message: issue.message, code: issue.code });
  }
  return out;
}

/** One issue per line, `path: message`, for error messages and terminals. */
export function formatIssues(issues: readonly ManifestIssue[]): string {
  return issues
    .map((issue) => `  ${issue.path === "" ? "(root)" : issue.path}: ${issue.message}`)
    .join("\n");
}
