/**
 * Copy-and-break helpers for tests: change one field of a manifest, addressed by the same
 * path the SDK reports (`setupSteps[1].ctaLabel`, `runtime.operations.send_fax.method`).
 * The original is never touched.
 */

type Container = Record<string, unknown> | unknown[];

function segmentsOf(path: string): string[] {
  return path.split(/[.[\]]/).filter((segment) => segment !== "");
}

function isContainer(value: unknown): value is Container {
  return typeof value === "object" && value !== null;
}

function childOf(container: Container, segment: string): unknown {
  return Array.isArray(container) ? container[Number(segment)] : container[segment];
}

function parentOf(root: Container, path: string): { parent: Container; key: string } {
  const segments = segmentsOf(path);
  const key = segments.pop();
  if (key === undefined) throw new Error("a field path is not empty");
  let parent: Container = root;
  for (const segment of segments) {
    const next = childOf(parent, segment);
    if (!isContainer(next)) throw new Error(`${path}: nothing to descend into at "${segment}"`);
    parent = next;
  }
  return { parent, key };
}

/** A deep copy of `manifest` with the field at `path` set to `value` (added if absent). */
export function withField(manifest: object, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(manifest) as Record<string, unknown>;
  const { parent, key } = parentOf(copy, path);
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else parent[key] = value;
  return copy;
}

/** A deep copy of `manifest` without the field (or list entry) at `path`. */
export function withoutField(manifest: object, path: string): Record<string, unknown> {
  const copy = structuredClone(manifest) as Record<string, unknown>;
  const { parent, key } = parentOf(copy, path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return copy;
}

/** Applies several edits in order: `withFields(m, { ring: "x", "setupSteps[0].id": "y" })`. */
export function withFields(
  manifest: object,
  edits: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.entries(edits).reduce<Record<string, unknown>>(
    (current, [path, value]) => withField(current, path, value),
    structuredClone(manifest) as Record<string, unknown>,
  );
}
