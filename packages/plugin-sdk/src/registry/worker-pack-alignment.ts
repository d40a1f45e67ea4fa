import type { PluginManifest, WorkerPackManifest } from "../kinds/built-in-kinds.js";

/** The parts of a runtime worker pack the alignment check compares with its manifest. */
export interface RuntimeWorkerPackShape {
  readonly id: string;
  readonly kind: string;
  readonly defaultScope: string;
  readonly supportedInputRoutes: readonly { readonly kind: string }[];
  readonly actionCapabilities: readonly { readonly kind: string }[];
  readonly outputKinds: readonly string[];
}

export const ALIGNED_FIELDS = [
  "id",
  "kind",
  "defaultScope",
  "supportedInputRoutes",
  "actionCapabilities",
  "outputKinds",
] as const;
export type AlignedField = (typeof ALIGNED_FIELDS)[number];

export interface AlignmentProblem {
  /** The runtime pack id (the manifest's `workerPackId`). */
  readonly workerPackId: string;
  /** The manifest id, when there is a manifest. */
  readonly manifestId?: string;
  readonly field: AlignedField;
  readonly code:
    | "missing_runtime_pack"
    | "missing_manifest"
    | "duplicate_runtime_pack"
    | "mismatch";
  readonly message: string;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((value) => right.has(value));
}

function show(values: readonly string[]): string {
  return `[${[...new Set(values)].sort().join(", ")}]`;
}

/**
 * Compares every worker-pack manifest with the runtime pack declared for it: each manifest
 * has exactly one runtime pack whose `id` is its `workerPackId` and each runtime pack has a
 * manifest; per pair the worker kind and default scope are equal and the input route
 * kinds, action kinds and output kinds are the same sets. Returns every difference.
 */
export function checkWorkerPackAlignment(
  manifests: readonly PluginManifest[],
  runtimePacks: readonly RuntimeWorkerPackShape[],
): AlignmentProblem[] {
  const problems: AlignmentProblem[] = [];
  const packs = new Map<string, RuntimeWorkerPackShape>();
  for (const pack of runtimePacks) {
    if (packs.has(pack.id)) {
      problems.push({
        workerPackId: pack.id,
        field: "id",
        code: "duplicate_runtime_pack",
        message: `runtime pack "${pack.id}" is declared twice`,
      });
    }
    packs.set(pack.id, pack);
  }
  const workerPacks = manifests.filter(
    (manifest): manifest is WorkerPackManifest => manifest.kind === "worker_pack",
  );
  const manifestPackIds = new Set(workerPacks.map((manifest) => manifest.workerPackId));

  for (const manifest of workerPacks) {
    const pack = packs.get(manifest.workerPackId);
    const base = { workerPackId: manifest.workerPackId, manifestId: manifest.id };
    if (pack === undefined) {
      problems.push({
        ...base,
        field: "id",
        code: "missing_runtime_pack",
        message: `manifest ${manifest.id} names workerPackId "${manifest.workerPackId}", but no runtime pack has that id`,
      });
      continue;
    }
    const mismatch = (
      field: AlignedField,
      manifestField: string,
      expected: string,
      actual: string,
    ) =>
      problems.push({
        ...base,
        field,
        code: "mismatch",
        message: `runtime pack "${pack.id}" ${field} is ${actual}, but manifest ${manifest.id} ${manifestField} is ${expected}`,
      });
    if (pack.kind !== manifest.workerKind) {
      mismatch("kind", "workerKind", `"${manifest.workerKind}"`, `"${pack.kind}"`);
    }
    if (pack.defaultScope !== manifest.defaultScope) {
      mismatch(
        "defaultScope",
        "defaultScope",
        `"${manifest.defaultScope}"`,
        `"${pack.defaultScope}"`,
      );
    }
    const routes = pack.supportedInputRoutes.map((route) => route.kind);
    if (!sameSet(routes, manifest.supportedInputRouteKinds)) {
      mismatch(
        "supportedInputRoutes",
        "supportedInputRouteKinds",
        show(manifest.supportedInputRouteKinds),
        show(routes),
      );
    }
    const actions = pack.actionCapabilities.map((action) => action.kind);
    if (!sameSet(actions, manifest.actionKinds)) {
      mismatch("actionCapabilities", "actionKinds", show(manifest.actionKinds), show(actions));
    }
    if (!sameSet(pack.outputKinds, manifest.outputKinds)) {
      mismatch("outputKinds", "outputKinds", show(manifest.outputKinds), show(pack.outputKinds));
    }
  }
  for (const pack of packs.values()) {
    if (!manifestPackIds.has(pack.id)) {
      problems.push({
        workerPackId: pack.id,
        field: "id",
        code: "missing_manifest",
        message: `runtime pack "${pack.id}" has no worker-pack manifest with that workerPackId`,
      });
    }
  }
  return problems;
}
