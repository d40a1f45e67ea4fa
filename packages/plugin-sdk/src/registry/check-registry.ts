import type { BuiltInKind, HookManifest } from "../kinds/built-in-kinds.js";
import {
  type AnyKindDefinition,
  LINK_VOCABULARIES,
  type LinkVocabulary,
  type ManifestLink,
  type ManifestOf,
} from "../kinds/define-kind.js";
import type { KindSet } from "../kinds/kind-set.js";
import { validateManifest } from "../validate-manifest.js";
import type { HookRing } from "../vocabulary.js";
import { orderHooks } from "./hook-order.js";
import { type HostDeclaration, PLUGBOARD_HOST } from "./host.js";
import { manifestConsistencyProblems } from "./manifest-consistency.js";

/** One problem in a set of manifests: which manifest, where in it, and what. */
export interface RegistryProblem {
  /** The manifest's id, or `#<index>` when the input has no usable id. */
  readonly manifestId: string;
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** A checked set of manifests, indexed for lookups. */
export interface RegistryGraph<M> {
  readonly manifests: readonly M[];
  readonly byId: ReadonlyMap<string, M>;
  /** Manifest ids providing each value of each vocabulary. */
  readonly provided: ReadonlyMap<LinkVocabulary, ReadonlyMap<string, readonly string[]>>;
  /** Hook ids per ring, in run order. */
  readonly hookOrder: Readonly<Record<HookRing, readonly string[]>>;
}

export type RegistryCheck<M> =
  | { readonly success: true; readonly graph: RegistryGraph<M> }
  | { readonly success: false; readonly problems: readonly RegistryProblem[] };

export interface CheckRegistryOptions<K extends AnyKindDefinition> {
  /** What the host provides natively; the Plugboard control plane's natives by default. */
  readonly host?: HostDeclaration;
  /** The kinds to accept; the built-in kinds when omitted. */
  readonly kinds?: KindSet<K>;
}

function hostValues(host: HostDeclaration): Map<LinkVocabulary, Set<string>> {
  return new Map<LinkVocabulary, Set<string>>([
    ["provider", new Set([...(host.providers ?? []), ...(host.writeCapableProviders ?? [])])],
    ["write_capable_provider", new Set(host.writeCapableProviders ?? [])],
    ["route_kind", new Set(host.routeKinds ?? [])],
    ["action_kind", new Set(host.actionKinds ?? [])],
    ["worker_pack_id", new Set()],
  ]);
}

function inputId(input: unknown, index: number): string {
  try {
    if (typeof input === "object" && input !== null && "id" in input) {
      const id = (input as { id: unknown }).id;
      if (typeof id === "string" && id !== "") return id;
    }
  } catch {
    // A hostile input (a throwing getter, a revoked proxy) has no id to show.
  }
  return `#${index}`;
}

function unresolvedMessage(link: ManifestLink, knownProvider: boolean): string {
  if (knownProvider) {
    return `provider "${link.value}" is not write-capable: no connection provider for it lists "write_capable" in accessModes`;
  }
  return `${LINK_VOCABULARIES[link.vocabulary]} "${link.value}" is not provided by any manifest in the registry nor by the host`;
}

/**
 * Checks a set of manifests as one registry: each validates against its kind; ids are
 * unique and match their kind; runtime pack ids are unique; every referenced provider,
 * action kind and route kind resolves to a manifest or a host-native value; action
 * destinations are write-capable; setup-step ids are unique per plugin; `engines` ranges
 * are satisfiable by the host; hook order constraints have no cycle.
 */
export function checkRegistry<K extends AnyKindDefinition = BuiltInKind>(
  manifests: readonly unknown[],
  options: CheckRegistryOptions<K> = {},
): RegistryCheck<ManifestOf<K>> {
  const host = options.host ?? PLUGBOARD_HOST;
  const problems: RegistryProblem[] = [];
  const valid: Array<{ manifest: ManifestOf<K>; kind: AnyKindDefinition }> = [];
  const byId = new Map<string, ManifestOf<K>>();

  manifests.forEach((input, index) => {
    const result = validateManifest(
      input,
      options.kinds === undefined ? {} : { kinds: options.kinds },
    );
    const manifestId = inputId(input, index);
    if (!result.success) {
      for (const issue of result.issues) problems.push({ manifestId, ...issue });
      return;
    }
    const manifest = result.manifest as ManifestOf<K>;
    if (byId.has(manifest.id)) {
      problems.push({
        manifestId,
        path: "id",
        code: "duplicate_id",
        message: `id "${manifest.id}" is declared by more than one manifest (first at #${manifests.findIndex((m) => inputId(m, -1) === manifest.id)})`,
      });
      return;
    }
    byId.set(manifest.id, manifest);
    valid.push({ manifest, kind: result.kind });
    for (const problem of result.kind.check(manifest)) problems.push({ manifestId, ...problem });
    for (const problem of manifestConsistencyProblems(manifest, host.plugboardVersion)) {
      problems.push({ manifestId, ...problem });
    }
  });

  const provided = new Map<LinkVocabulary, Map<string, string[]>>();
  const provide = (vocabulary: LinkVocabulary, value: string, manifestId: string) => {
    let values = provided.get(vocabulary);
    if (values === undefined) {
      values = new Map();
      provided.set(vocabulary, values);
    }
    const ids = values.get(value);
    if (ids === undefined) values.set(value, [manifestId]);
    else ids.push(manifestId);
  };
  const linksById = new Map<string, ReturnType<AnyKindDefinition["links"]>>();
  for (const { manifest, kind } of valid) {
    const links = kind.links(manifest);
    linksById.set(manifest.id, links);
    for (const link of links.provides ?? []) provide(link.vocabulary, link.value, manifest.id);
    for (const link of links.unique ?? []) {
      const holders = provided.get(link.vocabulary)?.get(link.value);
      if (holders !== undefined && holders.length > 0) {
        problems.push({
          manifestId: manifest.id,
          path: link.path,
          code: "duplicate_value",
          message: `${LINK_VOCABULARIES[link.vocabulary]} "${link.value}" is already used by ${holders.join(", ")}`,
        });
      }
      provide(link.vocabulary, link.value, manifest.id);
    }
  }

  const natives = hostValues(host);
  for (const { manifest } of valid) {
    for (const link of linksById.get(manifest.id)?.references ?? []) {
      if (
        provided.get(link.vocabulary)?.has(link.value) ||
        natives.get(link.vocabulary)?.has(link.value)
      ) {
        continue;
      }
      const knownProvider =
        link.vocabulary === "write_capable_provider" &&
        (provided.get("provider")?.has(link.value) === true ||
          natives.get("provider")?.has(link.value) === true);
      problems.push({
        manifestId: manifest.id,
        path: link.path,
        code: knownProvider ? "provider_not_write_capable" : "unresolved_reference",
        message: unresolvedMessage(link, knownProvider),
      });
    }
  }

  const hooks = valid.flatMap(({ manifest }) =>
    manifest.kind === "hook" ? [manifest as unknown as HookManifest] : [],
  );
  const hookOrder = orderHooks(hooks);
  problems.push(...hookOrder.problems);

  if (problems.length > 0) return { success: false, problems };
  const order = {} as Record<HookRing, readonly string[]>;
  for (const [ring, ringHooks] of Object.entries(hookOrder.rings) as Array<
    [HookRing, readonly HookManifest[]]
  >) {
    order[ring] = ringHooks.map((hook) => hook.id);
  }
  return {
    success: true,
    graph: { manifests: valid.map(({ manifest }) => manifest), byId, provided, hookOrder: order },
  };
}
