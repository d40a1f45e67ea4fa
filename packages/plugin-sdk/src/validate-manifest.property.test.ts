import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PLUGIN_KINDS } from "./kinds/built-in-kinds.js";
import { withField, withoutField } from "./testing/edit-manifest.js";
import { allExamples } from "./testing/example-manifests.js";
import { type ManifestValidation, validateManifest } from "./validate-manifest.js";

const RUNS = 10_000;

/** Any JavaScript value fast-check knows how to build, nested deep. */
const junk = fc.anything({
  maxDepth: 12,
  depthSize: "medium",
  maxKeys: 6,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/** Every path inside a value, in the form the SDK reports: `setupSteps[1].target.surface`. */
function pathsOf(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [];
  const entries = Array.isArray(value)
    ? value.map((child, index) => [`${prefix}[${index}]`, child] as const)
    : Object.entries(value).map(
        ([key, child]) => [prefix === "" ? key : `${prefix}.${key}`, child] as const,
      );
  return entries.flatMap(([path, child]) => [path, ...pathsOf(child, path)]);
}

const examples = allExamples().map((example) => ({ example, paths: pathsOf(example) }));

/** An example with its top-level fields kept, replaced by junk, or dropped, plus junk fields. */
const manifestShaped = fc
  .constantFrom(...examples)
  .chain(({ example }) =>
    fc.tuple(
      fc.constant(example),
      fc.array(fc.tuple(fc.constantFrom(...Object.keys(example)), fc.option(junk)), {
        maxLength: 5,
      }),
      fc.dictionary(fc.string(), junk, { maxKeys: 2 }),
      fc.constantFrom(...PLUGIN_KINDS, "fax_provider", undefined),
    ),
  )
  .map(([example, edits, extra, kind]) => {
    const manifest: Record<string, unknown> = Object.assign(Object.create(null), extra, example);
    for (const [field, value] of edits) {
      if (value === null) delete manifest[field];
      else manifest[field] = value;
    }
    if (kind !== undefined) manifest.kind = kind;
    return manifest;
  });

/** An example with one field, at any depth, replaced by a value from `values` or removed. */
function nestedEdit(values: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(fc.constantFrom(...examples), fc.nat(), fc.option(values, { freq: 8 }))
    .map(([{ example, paths }, pick, value]) => {
      const path = paths[pick % paths.length] ?? "kind";
      return value === null ? withoutField(example, path) : withField(example, path, value);
    });
}

/** What is wrong with a validation result's shape, if anything. */
function malformation(result: ManifestValidation<unknown>): string | undefined {
  if (result.success) {
    if (typeof result.manifest !== "object" || result.manifest === null) return "no manifest";
    return PLUGIN_KINDS.some((name) => name === result.kind.name) ? undefined : "an unknown kind";
  }
  if (result.issues.length === 0) return "a failure without issues";
  const bad = result.issues.find(
    (issue) =>
      typeof issue.path !== "string" ||
      typeof issue.code !== "string" ||
      typeof issue.message !== "string" ||
      issue.message === "",
  );
  return bad === undefined ? undefined : `a malformed issue ${JSON.stringify(bad)}`;
}

function expectWellFormed(result: ManifestValidation<unknown>): void {
  expect(malformation(result)).toBeUndefined();
}

// Ten thousand runs of a deep generator take seconds, not milliseconds.
describe("validateManifest on arbitrary input", { timeout: 120_000 }, () => {
  it("never throws on any value and answers with a manifest or a non-empty issue list", () => {
    fc.assert(
      fc.property(junk, (input) => {
        expectWellFormed(validateManifest(input));
      }),
      { numRuns: RUNS },
    );
  });

  it("never throws on objects shaped like manifests with random top-level fields", () => {
    fc.assert(
      fc.property(manifestShaped, (input) => {
        expectWellFormed(validateManifest(input));
      }),
      { numRuns: RUNS },
    );
  });

  it("never throws on manifests with one field at any depth replaced by random junk", () => {
    fc.assert(
      fc.property(nestedEdit(junk), (input) => {
        expectWellFormed(validateManifest(input));
      }),
      { numRuns: RUNS },
    );
  });

  it("gives the same answer for a manifest with random JSON in one field and its JSON text", () => {
    fc.assert(
      fc.property(nestedEdit(fc.jsonValue({ maxDepth: 6 })), (input) => {
        const direct = validateManifest(input);
        const roundTripped = validateManifest(JSON.parse(JSON.stringify(input)));
        expect(roundTripped.success).toBe(direct.success);
        if (!direct.success && !roundTripped.success) {
          expect(roundTripped.issues).toEqual(direct.issues);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
