import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type PluginManifest, validateManifest } from "@plugboard/plugin-sdk";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusEvent } from "../context/context-services.js";
import { createIsolateSandbox } from "./isolate-sandbox.js";
import type { Sandbox } from "./sandbox.js";
import { createFixtureHost } from "./testing/plugin-fixtures.js";

// The documented way to build plugin code, applied to the authoring guide's example hook:
// one ES module, dependencies (the SDK, zod, semver) bundled in, nothing Node-only.
async function bundle(entry: string, external: readonly string[] = []): Promise<string> {
  const result = await build({
    external: [...external],
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    write: false,
    logLevel: "silent",
    nodePaths: [fileURLToPath(new URL("../../node_modules", import.meta.url))],
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild wrote nothing");
  return output.text;
}

/** The manifest the bundle carries, validated as an install would: the host's own copy. */
async function installedManifest(source: string): Promise<PluginManifest> {
  const directory = mkdtempSync(join(tmpdir(), "plugboard-bundle-"));
  try {
    const file = join(directory, "plugin.mjs");
    writeFileSync(file, source);
    const loaded: unknown = await import(pathToFileURL(file).href);
    const definition =
      typeof loaded === "object" && loaded !== null && "default" in loaded
        ? loaded.default
        : undefined;
    const manifest =
      typeof definition === "object" && definition !== null && "manifest" in definition
        ? definition.manifest
        : undefined;
    const validation = validateManifest(manifest);
    if (!validation.success) throw new Error("the example's manifest is invalid");
    return validation.manifest;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe("a plugin bundled as the authoring guide says", () => {
  let sandbox: Sandbox | undefined;
  let host: ReturnType<typeof createFixtureHost>;
  const published: BusEvent[] = [];

  beforeAll(async () => {
    const source = await bundle("../../../../docs/examples/rate-limit-plugin.ts");
    const manifest = await installedManifest(source);
    host = createFixtureHost({
      manifest,
      config: { maxRequests: 2, clientHeader: "x-client-id" },
    });
    await host.bus.subscribe("gateway.>", (event) => {
      published.push(event);
    });
    sandbox = createIsolateSandbox({
      manifest,
      source,
      context: host.context,
      // The bundle evaluates zod's schemas for defineManifest at load.
      limits: { cpuTimeMs: 2_000 },
    });
  });
  afterAll(() => sandbox?.dispose());

  it("loads with its dependencies bundled in and enforces the configured limit", async () => {
    if (sandbox === undefined) throw new Error("not set up");
    const request = {
      ring: "pre_flight",
      method: "GET",
      path: "/orders",
      headers: { "x-client-id": "acme" },
      body: null,
      metadata: {},
    };
    await expect(sandbox.call("run", [request])).resolves.toEqual({ action: "passthrough" });
    await expect(sandbox.call("run", [request])).resolves.toEqual({ action: "passthrough" });
    await expect(sandbox.call("run", [request])).resolves.toEqual({
      action: "block",
      status: 429,
      type: "rate_limited",
      message: "more than 2 requests per minute",
    });
    await host.bus.idle();
    expect(published).toMatchObject([
      {
        type: "gateway.rate-limit.blocked",
        source: "hook.rate-limit",
        data: { client: "acme", count: 3 },
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(host.logs).toMatchObject([{ level: "warn", message: "rate limit exceeded" }]);
    expect(sandbox.health()).toMatchObject({ healthy: true, calls: 3, errors: 0 });
  });
});

describe("a plugin bundled with the SDK left external, as docs/sandbox.md recommends", () => {
  it("imports definePlugin and defineManifest from the sandbox and loads within the default CPU limit", async () => {
    const source = await bundle("../../../../docs/examples/rate-limit-plugin.ts", [
      "@plugboard/plugin-sdk",
    ]);
    expect(source).toMatch(/from "@plugboard\/plugin-sdk"/);
    expect(source.length).toBeLessThan(20_000);
    const manifest = await installedManifest(
      await bundle("../../../../docs/examples/rate-limit-plugin.ts"),
    );
    const host = createFixtureHost({
      manifest,
      config: { maxRequests: 2, clientHeader: "x-client-id" },
    });
    const sandbox = createIsolateSandbox({ manifest, source, context: host.context });
    try {
      const request = {
        ring: "pre_flight",
        method: "GET",
        path: "/orders",
        headers: { "x-client-id": "acme" },
        body: null,
        metadata: {},
      };
      await expect(sandbox.call("run", [request])).resolves.toEqual({ action: "passthrough" });
    } finally {
      sandbox.dispose();
    }
  });
});
