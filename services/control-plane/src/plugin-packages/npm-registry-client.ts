import { z } from "zod";
import { sha512Digests } from "./integrity.js";

/** Why a package could not be fetched; `path` is the request field it is about. */
export class PackageFetchError extends Error {
  constructor(
    /** `not_found`: no such package or version; `invalid`: the registry answered something unusable; `unavailable`: the registry could not be reached. */
    readonly reason: "not_found" | "invalid" | "unavailable",
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "PackageFetchError";
  }
}

export interface RegistryLimits {
  readonly maxPackumentBytes: number;
  readonly maxTarballBytes: number;
  readonly timeoutMs: number;
}

export const DEFAULT_REGISTRY_LIMITS: RegistryLimits = {
  maxPackumentBytes: 16 * 1024 * 1024,
  maxTarballBytes: 8 * 1024 * 1024,
  timeoutMs: 30_000,
};

/** The parts of a packument this client reads; a registry may send much more. */
const PackumentSchema = z.object({
  versions: z.record(
    z.string(),
    z.object({
      dist: z.object({ tarball: z.string(), integrity: z.string().optional() }),
    }),
  ),
});

/** A package tarball as the registry served it, with the integrity its packument declares. */
export interface FetchedPackage {
  readonly tarball: Buffer;
  readonly integrity: string;
  readonly tarballUrl: string;
}

/** `@scope/name` is requested as `@scope%2fname`, as npm does. */
export function packumentUrl(registry: string, name: string): string {
  const encoded = encodeURIComponent(name).replace(/^%40/, "@");
  return `${registry.replace(/\/+$/, "")}/${encoded}`;
}

async function get(url: string, accept: string, limits: RegistryLimits): Promise<Response> {
  try {
    // Redirects are refused: they could lead a download to a host the operator did not name.
    return await fetch(url, {
      headers: { accept },
      redirect: "error",
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
  } catch (error) {
    const why = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "failed";
    throw new PackageFetchError("unavailable", "package", `the request to ${url} ${why}`);
  }
}

/** Reads a response body, giving up as soon as it passes `max` bytes. */
async function readLimited(response: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  const tooLarge = () =>
    new PackageFetchError("invalid", "package", `the ${what} is larger than ${max} bytes`);
  if (declared > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  if (response.body === null) return Buffer.alloc(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/**
 * Fetches one version of a package from an npm-compatible registry: the packument
 * (`GET <registry>/<name>`), then `versions[version].dist.tarball`. The tarball must be
 * served from the registry's own origin and the packument must declare a sha512
 * integrity; the caller checks the bytes against it before reading them.
 */
export async function fetchPackage(
  registry: string,
  name: string,
  version: string,
  limits: RegistryLimits = DEFAULT_REGISTRY_LIMITS,
): Promise<FetchedPackage> {
  const url = packumentUrl(registry, name);
  const response = await get(
    url,
    "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8",
    limits,
  );
  if (response.status === 404) {
    throw new PackageFetchError("not_found", "package.name", `the registry has no package ${name}`);
  }
  if (!response.ok) {
    throw new PackageFetchError(
      "unavailable",
      "package",
      `the registry answered ${response.status} for ${name}`,
    );
  }
  const text = (await readLimited(response, limits.maxPackumentBytes, "packument")).toString(
    "utf8",
  );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PackageFetchError(
      "invalid",
      "package",
      `the registry's document for ${name} is not JSON`,
    );
  }
  const packument = PackumentSchema.safeParse(json);
  if (!packument.success) {
    throw new PackageFetchError(
      "invalid",
      "package",
      `the registry's document for ${name} has no usable versions`,
    );
  }
  const entry = Object.hasOwn(packument.data.versions, version)
    ? packument.data.versions[version]
    : undefined;
  if (entry === undefined) {
    throw new PackageFetchError(
      "not_found",
      "package.version",
      `the registry has no version ${version} of ${name}`,
    );
  }
  const integrity = entry.dist.integrity ?? "";
  if (sha512Digests(integrity).length === 0) {
    throw new PackageFetchError(
      "invalid",
      "package",
      `the registry declares no sha512 integrity for ${name}@${version}`,
    );
  }
  let tarballUrl: URL;
  try {
    tarballUrl = new URL(entry.dist.tarball);
  } catch {
    throw new PackageFetchError(
      "invalid",
      "package",
      `the tarball URL of ${name}@${version} is not a URL`,
    );
  }
  if (tarballUrl.origin !== new URL(registry).origin) {
    throw new PackageFetchError(
      "invalid",
      "package",
      `the tarball of ${name}@${version} is served from ${tarballUrl.origin}; only ${new URL(registry).origin} is trusted`,
    );
  }
  const download = await get(tarballUrl.href, "application/octet-stream", limits);
  if (!download.ok) {
    throw new PackageFetchError(
      "unavailable",
      "package",
      `the registry answered ${download.status} for the tarball of ${name}@${version}`,
    );
  }
  const tarball = await readLimited(download, limits.maxTarballBytes, "tarball");
  return { tarball, integrity, tarballUrl: tarballUrl.href };
}
