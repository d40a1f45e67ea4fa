import { describeIssue, type ManifestIssue, toManifestIssues } from "./issues.js";
import type { BuiltInKind } from "./kinds/built-in-kinds.js";
import type { AnyKindDefinition, ManifestOf } from "./kinds/define-kind.js";
import { builtInKindSet, type KindSet } from "./kinds/kind-set.js";

export type ManifestValidation<M> =
  | { readonly success: true; readonly manifest: M; readonly kind: AnyKindDefinition }
  | { readonly success: false; readonly issues: readonly ManifestIssue[] };

export interface ValidateOptions<K extends AnyKindDefinition> {
  /** The kinds to accept; the built-in kinds when omitted. */
  readonly kinds?: KindSet<K>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(path: string, code: string, message: string): ManifestValidation<never> {
  return { success: false, issues: [{ path, code, message }] };
}

/** What a hostile input threw, as text; the thrown value itself may refuse to become a string. */
function describeThrown(thrown: unknown): string {
  try {
    return String(thrown);
  } catch {
    return "a value that cannot be shown";
  }
}

/**
 * Manifests this module produced, with the kind that validated them. They are deeply
 * frozen, so a later call (such as `checkRegistry` over installed manifests) can trust them
 * without parsing again.
 */
const validated = new WeakMap<object, AnyKindDefinition>();

function deepFreeze(value: object): void {
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) freezeChild(value[i]);
  } else {
    for (const key in value) freezeChild((value as Record<string, unknown>)[key]);
  }
}

function freezeChild(child: unknown): void {
  if (typeof child === "object" && child !== null && !Object.isFrozen(child)) deepFreeze(child);
}

function describeKindValue(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  return typeof value === "string" ? `"${value}"` : `a value of type ${typeof value}`;
}

/**
 * Validates anything (a parsed JSON file, a TypeScript object, garbage) as a manifest of
 * one of the accepted kinds. Never throws: returns the typed manifest, or every issue with
 * its exact path (`setupSteps[1].ctaLabel`). The returned manifest is a deeply frozen copy;
 * passing it in again returns it at once.
 */
export function validateManifest<K extends AnyKindDefinition = BuiltInKind>(
  input: unknown,
  options: ValidateOptions<K> = {},
): ManifestValidation<ManifestOf<K>> {
  const kinds = (options.kinds ?? builtInKindSet) as KindSet<K>;
  try {
    if (!isRecord(input)) return fail("", "invalid_type", "expected a manifest object");
    const known = validated.get(input);
    if (known !== undefined && kinds.get(known.name) === known) {
      return { success: true, manifest: input as ManifestOf<K>, kind: known };
    }
    const kindName = input.kind;
    const kind = typeof kindName === "string" ? kinds.get(kindName) : undefined;
    if (kind === undefined) {
      return fail(
        "kind",
        typeof kindName !== "string" ? "invalid_type" : "invalid_value",
        `expected one of ${kinds.names.map((n) => `"${n}"`).join(", ")}, received ${describeKindValue(kindName)}`,
      );
    }
    // Valid manifests take the fast path; a per-parse error map costs zod its fast path, so
    // the messages are built only when there is something to report.
    const result = kind.schema.safeParse(input);
    if (result.success) {
      deepFreeze(result.data);
      validated.set(result.data, kind);
      return { success: true, manifest: result.data, kind };
    }
    const described = kind.schema.safeParse(input, { error: describeIssue });
    return { success: false, issues: toManifestIssues((described.error ?? result.error).issues) };
  } catch (error) {
    // Reading a hostile input (a throwing getter, a revoked proxy) can throw.
    return fail("", "unreadable", `the manifest could not be read: ${describeThrown(error)}`);
  }
}
