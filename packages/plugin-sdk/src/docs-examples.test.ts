import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  BUILT_IN_KINDS,
  type HookManifest,
  type HookRequest,
  type HookResult,
  hookKind,
  type JsonValue,
  type KindSet,
  type PluginContext,
  type PluginDefinition,
  permits,
  toManifestJsonSchema,
  validateManifest,
} from "./index.js";

const examplesDir = new URL("../../../docs/examples/", import.meta.url);
const authoring = readFileSync(new URL("../../../docs/authoring.md", import.meta.url), "utf8");

const exampleFiles = readdirSync(examplesDir).filter((file) => file !== "tsconfig.json");
const typeScriptExamples = exampleFiles.filter((file) => file.endsWith(".ts"));
const jsonExamples = exampleFiles.filter((file) => file.endsWith(".json"));

function readExample(file: string): string {
  return readFileSync(new URL(file, examplesDir), "utf8");
}

/**
 * The examples import "@plugboard/plugin-sdk" and "zod" the way an author's package does, but
 * no node_modules links those names into docs/. They are loaded from a temporary copy whose
 * two package imports point at this package's source and at its zod: the same mapping that
 * docs/examples/tsconfig.json gives the type checker.
 */
let copyDir = "";
async function importExample(file: string): Promise<Record<string, unknown>> {
  return import(join(copyDir, file));
}

beforeAll(() => {
  copyDir = mkdtempSync(join(tmpdir(), "plugboard-docs-examples-"));
  const sdkSource = JSON.stringify(fileURLToPath(new URL("./index.ts", import.meta.url)));
  const zodEntry = JSON.stringify(fileURLToPath(import.meta.resolve("zod")));
  for (const file of typeScriptExamples) {
    const source = readExample(file)
      .replaceAll('from "@plugboard/plugin-sdk"', `from ${sdkSource}`)
      .replaceAll('from "zod"', `from ${zodEntry}`);
    writeFileSync(join(copyDir, file), source);
  }
});

afterAll(() => {
  rmSync(copyDir, { recursive: true, force: true });
});

/**
 * One export of an example module, with the type the test expects: the examples are not part
 * of this package's TypeScript program, so their types cannot be imported.
 */
async function exampleExport<T>(file: string, name: string): Promise<T> {
  const module = await importExample(file);
  if (!Object.hasOwn(module, name)) throw new Error(`docs/examples/${file} exports no ${name}`);
  return module[name] as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Fenced code blocks of a markdown text, with their language and the line before the fence. */
function codeBlocks(markdown: string): Array<{ lang: string; code: string; marker: string }> {
  const blocks: Array<{ lang: string; code: string; marker: string }> = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)$/.exec(lines[i] ?? "");
    if (open === null) continue;
    const end = lines.indexOf("```", i + 1);
    if (end === -1) throw new Error(`unclosed code block at line ${i + 1}`);
    blocks.push({
      lang: open[1] ?? "",
      code: lines.slice(i + 1, end).join("\n"),
      marker: lines[i - 1] ?? "",
    });
    i = end;
  }
  return blocks;
}

/** The block that follows `<!-- output: <label> -->` in docs/authoring.md. */
function documentedOutput(label: string): string {
  const block = codeBlocks(authoring).find(
    (candidate) => candidate.marker === `<!-- output: ${label} -->`,
  );
  if (block === undefined) throw new Error(`docs/authoring.md shows no output of ${label}`);
  return block.code;
}

/**
 * A PluginContext over memory that enforces the manifest's permissions the way the SDK's
 * `permits` decides them; members the example does not use refuse every call.
 */
function memoryContext(permissions: readonly string[], config: PluginContext["config"]) {
  const store = new Map<string, JsonValue>();
  const published: Array<{ subject: string; data: JsonValue }> = [];
  const require = (permission: string) => {
    if (!permits(permissions, permission)) throw new Error(`${permission} is not granted`);
  };
  const refuse = (): never => {
    throw new Error("not available in this context");
  };
  const context: PluginContext = {
    plugin: { id: "hook.rate-limit", version: "1.2.0" },
    config,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    events: {
      async publish(subject, data) {
        require(`event:publish:${subject}`);
        published.push({ subject, data });
      },
      subscribe: refuse,
    },
    http: { request: refuse },
    storage: {
      async get(key) {
        require("storage:read");
        return store.get(key);
      },
      async set(key, value) {
        require("storage:write");
        store.set(key, value);
      },
      async delete(key) {
        require("storage:write");
        return store.delete(key);
      },
      async list(prefix = "") {
        require("storage:read");
        return [...store.keys()].filter((key) => key.startsWith(prefix));
      },
    },
    data: { query: refuse, get: refuse, put: refuse },
    secrets: { handle: refuse },
  };
  return { context, published };
}

describe("docs/examples", () => {
  it("every TypeScript module loads, and every manifest it exports is valid unless named broken", async () => {
    const kinds = await exampleExport<KindSet>("fax-gateway-kind.ts", "hostKinds");
    let manifests = 0;
    for (const file of typeScriptExamples) {
      const module = await importExample(file);
      for (const [name, value] of Object.entries(module)) {
        if (!isRecord(value) || typeof value.kind !== "string") continue;
        manifests += 1;
        const result = validateManifest(value, { kinds });
        if (name.startsWith("broken")) {
          expect(result.success, `${file}: ${name} is meant to be invalid`).toBe(false);
        } else {
          expect(result.success ? [] : result.issues, `${file}: ${name}`).toEqual([]);
        }
      }
    }
    expect(manifests).toBeGreaterThanOrEqual(typeScriptExamples.length);
  });

  it("every JSON manifest is valid, and valid against the published JSON Schema", () => {
    const ajv = new Ajv2020({ strict: false });
    const validateJson = ajv.compile(toManifestJsonSchema());
    for (const file of jsonExamples) {
      const manifest: unknown = JSON.parse(readExample(file));
      const result = validateManifest(manifest);
      expect(result.success ? [] : result.issues, file).toEqual([]);
      expect(validateJson(manifest), `${file}: ${ajv.errorsText(validateJson.errors)}`).toBe(true);
    }
  });

  it("the new kind joins the built-in kinds of this package", async () => {
    const file = "fax-gateway-kind.ts";
    const kinds = await exampleExport<KindSet>(file, "hostKinds");
    expect(kinds.get("hook")).toBe(hookKind);
    expect(kinds.names).toEqual([...BUILT_IN_KINDS.map((kind) => kind.name), "fax_gateway"]);
    const gateway = await exampleExport<unknown>(file, "phaxlineGateway");
    expect(validateManifest(gateway).success).toBe(false);
    const check = await exampleExport<
      () => { validation: { success: boolean }; registry: { success: boolean } }
    >(file, "checkWithHostKinds");
    expect(check().validation.success).toBe(true);
    expect(check().registry.success).toBe(true);
  });

  it("the rate-limit plugin blocks a client over its limit with only the permissions it asks for", async () => {
    const plugin = await exampleExport<PluginDefinition<HookManifest>>(
      "rate-limit-plugin.ts",
      "default",
    );
    const manifest = await exampleExport<HookManifest>("rate-limit-hook.ts", "rateLimitHook");
    expect(plugin.manifest).toBe(manifest);
    const { context, published } = memoryContext(manifest.permissions ?? [], { maxRequests: 2 });
    const request: HookRequest = {
      ring: "pre_flight",
      method: "GET",
      path: "/v1/things",
      headers: { "x-client-id": "client-7" },
      body: null,
      metadata: {},
    };
    vi.useFakeTimers({ now: new Date("2026-01-01T10:00:05Z") });
    try {
      const handlers = await plugin.setup(context);
      const results: HookResult[] = [];
      for (let i = 0; i < 3; i++) results.push(await handlers.run(request));
      expect(results.map((result) => result.action)).toEqual([
        "passthrough",
        "passthrough",
        "block",
      ]);
      expect(published).toEqual([
        { subject: "gateway.rate-limit.blocked", data: { client: "client-7", count: 3 } },
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("docs/authoring.md", () => {
  it("lists every built-in kind with its id convention", () => {
    const start = authoring.indexOf("\n## Kinds\n");
    const end = authoring.indexOf("\n## ", start + 1);
    const rows = authoring
      .slice(start, end)
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .map((line) => [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1]));
    expect(Object.fromEntries(rows.map(([kind, convention]) => [kind, convention]))).toEqual(
      Object.fromEntries(BUILT_IN_KINDS.map((kind) => [kind.name, kind.idConvention])),
    );
  });

  it("shows only TypeScript that is part of an example module", () => {
    const sources = typeScriptExamples.map(readExample);
    const blocks = codeBlocks(authoring).filter((block) => block.lang === "ts");
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(
        sources.some((source) => source.includes(block.code)),
        `this block is not in docs/examples:\n${block.code}`,
      ).toBe(true);
    }
  });

  it("shows only JSON manifests that are example files", () => {
    const manifests = jsonExamples.map((file) => JSON.parse(readExample(file)));
    const blocks = codeBlocks(authoring).filter(
      (block) => block.lang === "json" && !block.marker.startsWith("<!-- output:"),
    );
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(manifests).toContainEqual(JSON.parse(block.code));
  });

  it("shows the issues validateManifest really returns", async () => {
    const file = "validate-manifest.ts";
    const broken = await exampleExport<unknown>(file, "brokenWorkerPack");
    const describeManifest = await exampleExport<(input: unknown) => string>(
      file,
      "describeManifest",
    );
    const result = validateManifest(broken);
    expect(result.success ? [] : result.issues).toEqual(
      JSON.parse(documentedOutput("validateManifest(brokenWorkerPack).issues")),
    );
    expect(describeManifest(broken)).toBe(documentedOutput("describeManifest(brokenWorkerPack)"));
  });

  it("shows the problems checkRegistry really returns", async () => {
    const file = "check-registry.ts";
    const checkMailSet = await exampleExport<() => { success: boolean }>(file, "checkMailSet");
    const checkBrokenSet = await exampleExport<() => unknown>(file, "checkBrokenSet");
    expect(checkMailSet().success).toBe(true);
    expect(checkBrokenSet()).toEqual(JSON.parse(documentedOutput("checkBrokenSet()")));
  });
});
