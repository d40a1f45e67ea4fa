/**
 * Whether the host's allowlist admits a package: an entry is a package name, or `@scope/*`
 * for every package of a scope. An empty list admits nothing.
 */
export function isPackageAllowed(name: string, allowlist: readonly string[]): boolean {
  return allowlist.some((entry) =>
    entry.endsWith("/*") && entry.startsWith("@")
      ? name.startsWith(entry.slice(0, -1)) && !name.slice(entry.length - 1).includes("/")
      : entry === name,
  );
}
