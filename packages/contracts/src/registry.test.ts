import { PLUGIN_KINDS, type PluginManifest } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { EXAMPLE_MANIFESTS, rateLimitHook, smtpSendAction } from "./fixtures/example-manifests.js";
import { entryOf, registryResponseOf } from "./fixtures/registry-entries.js";
import { issuesFromZod } from "./issue.js";
import { PluginRuntimeSchema } from "./plugin-runtime.js";
import {
  PluginDetailResponseSchema,
  PluginDetailResponseWireSchema,
  PluginListQuerySchema,
  PluginListQueryWireSchema,
  PluginParamsSchema,
  REGISTRY_ENTRY_SCHEMAS,
  RegistryEntrySchema,
  RegistryEntryWireSchema,
  RegistryResponseSchema,
  RegistryResponseWireSchema,
} from "./registry.js";
import { fromWire, toWire } from "./wire-case.js";

const manifests: PluginManifest[] = Object.values(EXAMPLE_MANIFESTS);

function pathsOf(result: { error?: { issues: z.core.$ZodIssue[] } | undefined }): string[] {
  return issuesFromZod(result.error?.issues ?? []).map((issue) => issue.path);
}

describe("registry response", () => {
  it("has a list for every built-in kind, taken from the SDK", () => {
    expect(Object.keys(RegistryResponseSchema.shape.kinds.shape)).toEqual([...PLUGIN_KINDS]);
    expect(Object.keys(REGISTRY_ENTRY_SCHEMAS)).toEqual([...PLUGIN_KINDS]);
  });

  it("survives the wire and comes back exactly as built", () => {
    const response = registryResponseOf(manifests);
    const wire = toWire(RegistryResponseSchema, response);
    expect(wire.api_version).toBe("1.0.0");
    expect(wire.generated_at).toBe(response.generatedAt);
    expect(RegistryResponseWireSchema.parse(wire)).toEqual(wire);
    expect(fromWire(RegistryResponseSchema, wire)).toEqual(response);
  });

  it("groups entries under their kind and lists empty kinds too", () => {
    const response = registryResponseOf([rateLimitHook]);
    expect(response.kinds.hook.map((entry) => entry.id)).toEqual(["hook.rate-limit"]);
    expect(response.kinds.channel).toEqual([]);
  });

  it("rejects an entry listed under another kind", () => {
    const response = registryResponseOf([rateLimitHook]);
    const wire = toWire(RegistryResponseSchema, response);
    const moved = { ...wire, kinds: { ...wire.kinds, hook: [], connector: wire.kinds.hook } };
    expect(pathsOf(RegistryResponseWireSchema.safeParse(moved))[0]).toMatch(
      /^kinds\.connector\[0\]/,
    );
  });
});

describe("registry entry", () => {
  it("keeps every field of the manifest, runtime included", () => {
    const entry = entryOf(smtpSendAction);
    expect(RegistryEntrySchema.parse(entry)).toEqual(entry);
    const wire = toWire(RegistryEntrySchema, entry);
    expect(wire.kind === "action_executor" && wire.runtime?.type).toBe("http");
    expect(wire.installation).toEqual({
      installed_version: "2.0.0",
      enabled: true,
      setup: { completed: 0, total: 0 },
    });
  });

  it("checks an entry against the schema of its own kind", () => {
    const wire = toWire(RegistryEntrySchema, entryOf(rateLimitHook));
    const result = RegistryEntryWireSchema.safeParse({ ...wire, ring: "nowhere" });
    expect(pathsOf(result)).toEqual(["ring"]);
  });

  it("rejects an entry of an unknown kind", () => {
    const wire = toWire(RegistryEntrySchema, entryOf(rateLimitHook));
    const result = RegistryEntryWireSchema.safeParse({ ...wire, kind: "widget" });
    expect(pathsOf(result)).toEqual(["kind"]);
  });

  it("requires the installation state", () => {
    const { installation: _installation, ...manifestOnly } = toWire(
      RegistryEntrySchema,
      entryOf(rateLimitHook),
    );
    expect(pathsOf(RegistryEntryWireSchema.safeParse(manifestOnly))).toEqual(["installation"]);
  });

  it("rejects setup progress beyond the number of steps", () => {
    const entry = entryOf(rateLimitHook);
    const broken = {
      ...entry,
      installation: { ...entry.installation, setup: { completed: 3, total: 1 } },
    };
    const result = RegistryEntryWireSchema.safeParse(toWire(RegistryEntrySchema, broken));
    expect(pathsOf(result)).toEqual(["installation.setup.completed"]);
  });
});

describe("plugin list query", () => {
  it("accepts no filters and every combination of known values", () => {
    expect(PluginListQueryWireSchema.parse({})).toEqual({});
    const query = { kind: "connector", category: "crm", stability: "stable" };
    expect(PluginListQuerySchema.parse(query)).toEqual(query);
  });

  it("rejects an unknown kind filter at the kind parameter", () => {
    const result = PluginListQueryWireSchema.safeParse({ kind: "widget" });
    expect(pathsOf(result)).toEqual(["kind"]);
    expect(result.error?.issues[0]?.code).toBe("invalid_value");
  });

  it("rejects bad category and stability values with their paths", () => {
    const result = PluginListQueryWireSchema.safeParse({ category: "games", stability: "beta" });
    expect(pathsOf(result)).toEqual(["category", "stability"]);
  });

  it("rejects a repeated filter and an unknown parameter", () => {
    expect(pathsOf(PluginListQueryWireSchema.safeParse({ kind: ["hook", "channel"] }))).toEqual([
      "kind",
    ]);
    expect(pathsOf(PluginListQueryWireSchema.safeParse({ categroy: "crm" }))).toEqual(["categroy"]);
  });
});

describe("plugin detail", () => {
  it("accepts the id of any built-in kind", () => {
    for (const manifest of manifests) {
      expect(PluginParamsSchema.safeParse({ id: manifest.id }).success).toBe(true);
    }
  });

  it("rejects an id no kind allows, naming the conventions", () => {
    const result = PluginParamsSchema.safeParse({ id: "plugin.Gmail" });
    expect(pathsOf(result)).toEqual(["id"]);
    expect(result.error?.issues[0]?.message).toContain("provider.<system>[.<qualifier>]");
  });

  const runtime = {
    mode: "native" as const,
    state: "ready" as const,
    healthy: true,
    version: "1.1.0",
    detail: null,
    dispatch: null,
    inFlight: 0,
    restarts: 0,
    calls: 0,
    errors: 0,
    timeouts: 0,
    crashes: 0,
    memoryLimits: 0,
    loads: 0,
    lastProbe: null,
    lastError: null,
    hook: null,
    transitions: [],
  };

  it("carries the entry, its version history and its runtime over the wire", () => {
    const detail = {
      plugin: entryOf(rateLimitHook),
      versions: [
        { version: "1.1.0", registeredAt: "2025-05-01T09:30:00Z", installed: true },
        { version: "1.0.0", registeredAt: "2025-03-01T08:00:00+02:00", installed: false },
      ],
      runtime,
    };
    const wire = toWire(PluginDetailResponseSchema, detail);
    expect(wire.versions[0]?.registered_at).toBe("2025-05-01T09:30:00Z");
    expect(
      fromWire(PluginDetailResponseSchema, PluginDetailResponseWireSchema.parse(wire)),
    ).toEqual(detail);
  });

  it("rejects a version that is not semver", () => {
    const result = PluginDetailResponseWireSchema.safeParse({
      plugin: toWire(RegistryEntrySchema, entryOf(rateLimitHook)),
      versions: [{ version: "1.1", registered_at: "2025-05-01T09:30:00Z", installed: true }],
      runtime: toWire(PluginRuntimeSchema, runtime),
    });
    expect(pathsOf(result)).toEqual(["versions[0].version"]);
  });
});
