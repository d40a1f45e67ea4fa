import { checkRegistry, type RegistryProblem, validateManifest } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { postmarkInboundProvider } from "./connection-providers/postmark-inbound.js";
import {
  firstPartyManifests,
  firstPartyManifestsById,
  getFirstPartyManifest,
} from "./first-party-manifests.js";
import { postmarkForwardEmailAdapter } from "./ingress-adapters/postmark-forward-email.js";

function describeProblems(problems: readonly RegistryProblem[]): string {
  return problems
    .map((problem) => `${problem.manifestId} ${problem.path}: ${problem.message} (${problem.code})`)
    .join("\n");
}

describe("first-party manifests", () => {
  it.each(firstPartyManifests.map((manifest) => [manifest.id, manifest] as const))(
    "%s passes validateManifest",
    (_id, manifest) => {
      const result = validateManifest(manifest);
      expect(result.success ? [] : result.issues).toEqual([]);
    },
  );

  it("pass the registry check as one set, with no problems", () => {
    const result = checkRegistry(firstPartyManifests);
    expect(result.success, result.success ? "" : describeProblems(result.problems)).toBe(true);
  });

  it("need the Postmark provider to resolve the Postmark adapter's provider", () => {
    const withoutPostmark = firstPartyManifests.filter(
      (manifest) => manifest !== postmarkInboundProvider,
    );
    const result = checkRegistry(withoutPostmark);
    expect(result.success ? [] : result.problems).toEqual([
      expect.objectContaining({
        manifestId: postmarkForwardEmailAdapter.id,
        path: "provider",
        code: "unresolved_reference",
      }),
    ]);
  });

  it("have distinct ids", () => {
    const ids = firstPartyManifests.map((manifest) => manifest.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("share version 1.0.0, first-party ownership and the ^1.0.0 engine range", () => {
    for (const manifest of firstPartyManifests) {
      expect(manifest.version, manifest.id).toBe("1.0.0");
      expect(manifest.owner, manifest.id).toBe("first_party");
      expect(manifest.engines, manifest.id).toEqual({ plugboard: "^1.0.0" });
    }
  });

  it("each carry a category, a priority, setup steps and a docs link", () => {
    for (const manifest of firstPartyManifests) {
      expect(manifest.category, manifest.id).toBeDefined();
      expect(manifest.priority, manifest.id).toBeDefined();
      expect(manifest.setupSteps?.length ?? 0, manifest.id).toBeGreaterThan(0);
      expect(manifest.docsHref, manifest.id).toMatch(/^\/docs\//);
    }
  });

  it("give manifests of one kind in one category distinct priorities", () => {
    const seen = new Map<string, string>();
    for (const manifest of firstPartyManifests) {
      const slot = `${manifest.kind} ${manifest.category} ${manifest.priority}`;
      expect(seen.get(slot), `${manifest.id} shares ${slot}`).toBeUndefined();
      seen.set(slot, manifest.id);
    }
  });

  it("share no array or object with one another, so editing one copy never changes another", () => {
    const owners = new Map<object, string>();
    const visit = (value: unknown, where: string) => {
      if (typeof value !== "object" || value === null) return;
      const owner = owners.get(value);
      expect(owner, `${where} is the same object as ${owner}`).toBeUndefined();
      owners.set(value, where);
      for (const [key, child] of Object.entries(value)) visit(child, `${where}.${key}`);
    };
    for (const manifest of firstPartyManifests) visit(manifest, manifest.id);
  });

  it("name secrets in lower snake_case", () => {
    for (const manifest of firstPartyManifests) {
      for (const key of manifest.secretKeys ?? []) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it("grant outbound network access to exactly the hosts their HTTP runtimes may call", () => {
    for (const manifest of firstPartyManifests) {
      if (!("runtime" in manifest) || manifest.runtime?.type !== "http") continue;
      const granted = (manifest.permissions ?? [])
        .filter((permission) => permission.startsWith("network:outbound:"))
        .map((permission) => permission.slice("network:outbound:".length));
      expect(granted.sort(), manifest.id).toEqual([...manifest.runtime.allowedDomains].sort());
    }
  });
});

describe("lookup by id", () => {
  it("returns the very object listed in firstPartyManifests", () => {
    for (const manifest of firstPartyManifests) {
      expect(getFirstPartyManifest(manifest.id)).toBe(manifest);
      expect(firstPartyManifestsById.get(manifest.id)).toBe(manifest);
    }
  });

  it("holds one entry per manifest", () => {
    expect(firstPartyManifestsById.size).toBe(firstPartyManifests.length);
  });

  it("returns undefined for an id no first-party manifest has", () => {
    expect(getFirstPartyManifest("provider.nowhere")).toBeUndefined();
    expect(getFirstPartyManifest("")).toBeUndefined();
  });
});
