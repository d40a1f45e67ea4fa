import type { Issue, RegistryEntry, RegistryProblemItem } from "@plugboard/contracts";

/** `joinPath("manifest", "setupSteps[1].ctaLabel")` is `manifest.setupSteps[1].ctaLabel`. */
export function joinPath(parent: string, child: string): string {
  if (child === "") return parent;
  return child.startsWith("[") ? `${parent}${child}` : `${parent}.${child}`;
}

/**
 * A registry problem as an issue of a request: a problem of the manifest being changed
 * points into it (`manifest.requiredConnectionProviders[0]`); a problem it causes in
 * another plugin names that plugin (`registry["worker-pack.crm"].requiredConnectionProviders[0]`).
 */
export function issueOfProblem(
  problem: RegistryProblemItem,
  manifestId: string | undefined,
  manifestPath = "manifest",
): Issue {
  const parent =
    problem.manifestId === manifestId
      ? manifestPath
      : `registry[${JSON.stringify(problem.manifestId)}]`;
  return { path: joinPath(parent, problem.path), message: problem.message, code: problem.code };
}

/** The manifest of a registry entry, without the host's installation state. */
export function manifestOfEntry(entry: RegistryEntry): unknown {
  const { installation: _installation, ...manifest } = entry;
  return manifest;
}
