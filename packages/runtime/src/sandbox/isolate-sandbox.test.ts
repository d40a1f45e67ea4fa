import { afterEach, describe, expect, it } from "vitest";
import { PluginCodeError } from "./isolate-reply.js";
import { createIsolateSandbox } from "./isolate-sandbox.js";
import type { Sandbox } from "./sandbox.js";
import { SandboxError } from "./sandbox-errors.js";
import { SANDBOX_DISPATCH_MODES } from "./sandbox-limits.js";
import {
  createFixtureHost,
  type FixtureManifest,
  fixtureSandbox,
  hookManifest,
  PASSTHROUGH_HOOK,
  pluginSource,
  TEST_LIMITS,
} from "./testing/plugin-fixtures.js";

const open: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of open.splice(0)) sandbox.dispose();
});

function sandboxFor(
  source: string,
  options: Parameters<typeof fixtureSandbox>[1] = {},
): ReturnType<typeof fixtureSandbox> {
  const created = fixtureSandbox(source, options);
  open.push(created.sandbox);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof SandboxError)) throw new Error(`expected a SandboxError, got ${error}`);
  return error;
}

const REQUEST = {
  ring: "pre_flight",
  method: "GET",
  path: "/orders",
  headers: { "x-client": "a" },
  body: null,
  metadata: {},
};

it("runs in test workers started with --no-node-snapshot, which isolated-vm needs on Node 20", () => {
  expect(process.execArgv).toContain("--no-node-snapshot");
});

describe.each(SANDBOX_DISPATCH_MODES)("a sandboxed plugin, dispatched %s", (dispatch) => {
  it("loads a definePlugin bundle and returns its handler's result", async () => {
    const { sandbox } = sandboxFor(
      pluginSource(
        `return { run: (request) => ({ action: "modify", headers: { ...request.headers, "x-seen": request.path } }) };`,
      ),
      { limits: { dispatch } },
    );
    await expect(sandbox.call("run", [REQUEST])).resolves.toEqual({
      action: "modify",
      headers: { "x-client": "a", "x-seen": "/orders" },
    });
    expect(sandbox.health()).toMatchObject({ state: "ready", healthy: true, calls: 1, loads: 1 });
  });

  it("awaits async handlers and async setup", async () => {
    const { sandbox } = sandboxFor(
      pluginSource(
        `await null; return { async run() { await null; return { action: "respond", status: 202, body: ctx.plugin }; } };`,
      ).replace("setup(ctx)", "async setup(ctx)"),
      { limits: { dispatch } },
    );
    await expect(sandbox.call("run", [REQUEST])).resolves.toEqual({
      action: "respond",
      status: 202,
      body: { id: "hook.fixture", version: "1.0.0" },
    });
  });

  it("reports a handler's throw as plugin_error with the plugin's message, code and stack", async () => {
    const { sandbox } = sandboxFor(
      pluginSource(
        `return { run() { const error = new TypeError("no client header"); error.code = "E_CLIENT"; throw error; } };`,
      ),
      { limits: { dispatch } },
    );
    const error = await failure(sandbox.call("run", [REQUEST]));
    expect(error.code).toBe("plugin_error");
    expect(error.message).toBe("TypeError: no client header");
    expect(error.cause).toBeInstanceOf(PluginCodeError);
    const thrown = error.cause instanceof PluginCodeError ? error.cause : undefined;
    expect(thrown?.code).toBe("E_CLIENT");
    expect(thrown?.pluginStack).toContain("plugboard-plugin:hook.fixture@1.0.0");
    expect(thrown?.pluginStack).not.toMatch(/node_modules|\.ts:|\/work\//);
    expect(sandbox.health()).toMatchObject({ healthy: true, errors: 1 });
  });

  it("reports a rejected promise as plugin_error", async () => {
    const { sandbox } = sandboxFor(
      pluginSource(`return { async run() { throw new Error("upstream said no"); } };`),
      { limits: { dispatch } },
    );
    const error = await failure(sandbox.call("run", [REQUEST]));
    expect([error.code, error.message]).toEqual(["plugin_error", "Error: upstream said no"]);
  });
});

describe("loading plugin code", () => {
  it("provides definePlugin to a bundle that leaves @plugboard/plugin-sdk external", async () => {
    const { sandbox } = sandboxFor(`import { definePlugin } from "@plugboard/plugin-sdk";
export default definePlugin({ manifest: { id: "hook.fixture" }, setup: () => ({ run: () => ({ action: "passthrough" }) }) });`);
    await expect(sandbox.call("run", [REQUEST])).resolves.toEqual({ action: "passthrough" });
  });

  it.each([
    [
      "any other import",
      `import fs from "node:fs"; export default {};`,
      'import "node:fs" is not available in the sandbox; bundle the plugin and its dependencies into one ES module',
    ],
    [
      "a CommonJS bundle",
      `module.exports = { manifest: { id: "hook.fixture" }, setup() {} };`,
      "the sandbox loads ES modules: bundle the plugin with --format=esm",
    ],
    ["code that does not compile", `export default {`, "the plugin's code does not compile"],
    [
      "a module without a default export",
      `export const plugin = {};`,
      "the module has no default export; export default definePlugin({ ... })",
    ],
    [
      "a default export that is not a definition",
      `export default { manifest: { id: "hook.fixture" } };`,
      "the module's default export is not definePlugin({ manifest, setup })",
    ],
    [
      "a bundle of another plugin",
      pluginSource(`return { run() {} };`, { id: "hook.other" }),
      'the bundle\'s manifest is "hook.other", but the plugin is installed as "hook.fixture"',
    ],
    [
      "setup without the kind's required handler",
      pluginSource(`return { probe: () => ({ healthy: true }) };`),
      'setup returned no "run" handler, which a hook plugin must have',
    ],
  ])("refuses %s with load_failed", async (_case, source, message) => {
    const { sandbox } = sandboxFor(source);
    const error = await failure(sandbox.load());
    expect(error.code).toBe("load_failed");
    expect(error.message).toContain(message);
    expect(sandbox.health()).toMatchObject({ state: "idle", healthy: false, errors: 1 });
  });

  it("reports a setup that throws as setup_failed", async () => {
    const { sandbox } = sandboxFor(pluginSource(`throw new RangeError("maxRequests is missing");`));
    const error = await failure(sandbox.call("run", [REQUEST]));
    expect([error.code, error.message]).toEqual([
      "setup_failed",
      "RangeError: maxRequests is missing",
    ]);
  });

  it("stops module code that loops at load with timeout", async () => {
    const { sandbox } = sandboxFor(pluginSource(`return {};`, { prelude: "for (;;) {}" }));
    const error = await failure(sandbox.load());
    expect(error.code).toBe("timeout");
  });

  it("loads again after a failed load, so a fixed dependency can recover", async () => {
    const manifest: FixtureManifest = { ...hookManifest(), permissions: ["storage:read"] };
    const host = createFixtureHost({ manifest });
    const source = pluginSource(
      `if ((await ctx.storage.get("ready")) !== true) throw new Error("not ready"); return { run: () => ({ action: "passthrough" }) };`,
    ).replace("setup(ctx)", "async setup(ctx)");
    const sandbox = createIsolateSandbox({
      manifest,
      source,
      context: host.context,
      limits: TEST_LIMITS,
    });
    open.push(sandbox);
    expect((await failure(sandbox.load())).code).toBe("setup_failed");
    await host.services.storage?.set(manifest.id, "ready", true);
    await expect(sandbox.call("run", [REQUEST])).resolves.toEqual({ action: "passthrough" });
    expect(sandbox.health()).toMatchObject({ loads: 2, healthy: true, state: "ready" });
  });
});

describe("calling handlers", () => {
  it("refuses a handler setup did not return with no_handler", async () => {
    const { sandbox } = sandboxFor(PASSTHROUGH_HOOK);
    const error = await failure(sandbox.call("execute", []));
    expect([error.code, error.message]).toEqual([
      "no_handler",
      'setup returned no handler "execute"',
    ]);
    expect((await failure(sandbox.call("#setup", []))).code).toBe("no_handler");
  });

  it("calls an entry of a handler group, such as a rule operator's condition", async () => {
    const manifest = { ...hookManifest(), id: "operator.crm", kind: "rule_operator" };
    const { sandbox } = sandboxFor(
      pluginSource(
        `return { conditions: { "crm.is_vip": (params, context) => context.event.tier === params.tier }, actions: {} };`,
        { id: "operator.crm" },
      ),
      { manifest },
    );
    await expect(
      sandbox.call(["conditions", "crm.is_vip"], [{ tier: "gold" }, { event: { tier: "gold" } }]),
    ).resolves.toBe(true);
    expect((await failure(sandbox.call(["conditions", "crm.unknown"], []))).code).toBe(
      "no_handler",
    );
  });

  it("collects what an async iterable yields, as a connector's sync may return", async () => {
    const manifest = { ...hookManifest(), id: "connector.crm", kind: "connector" };
    const { sandbox } = sandboxFor(
      pluginSource(
        `return { async *sync() { yield { id: "1", data: 1 }; yield { id: "2", data: 2 }; }, mapToEntities: () => [] };`,
        { id: "connector.crm" },
      ),
      { manifest },
    );
    await expect(sandbox.call("sync", [{}])).resolves.toEqual([
      { id: "1", data: 1 },
      { id: "2", data: 2 },
    ]);
  });

  it("checks a hook's result against the SDK's HookResultSchema, unless told not to", async () => {
    const { sandbox } = sandboxFor(
      pluginSource(
        `return { run: () => ({ action: "block", status: 200, type: "", message: "x" }) };`,
      ),
    );
    const error = await failure(sandbox.call("run", [REQUEST]));
    expect(error.code).toBe("bad_return");
    expect(error.message).toMatch(/^run returned an invalid result \(status: .*; type: /);
    await expect(sandbox.call("run", [REQUEST], { checkResult: false })).resolves.toMatchObject({
      action: "block",
    });
  });

  it.each([
    ["a function", "() => 1", "the returned value is a function, not a JSON value"],
    ["a BigInt", "1n", "the returned value is not JSON: Do not know how to serialize a BigInt"],
    [
      "an object that contains itself",
      "(() => { const a = {}; a.a = a; return a; })()",
      "the returned value is not JSON: Converting circular structure to JSON",
    ],
  ])("refuses %s as a result with bad_return", async (_case, expression, message) => {
    const { sandbox } = sandboxFor(pluginSource(`return { run: () => ${expression} };`));
    const error = await failure(sandbox.call("run", [REQUEST]));
    expect(error.code).toBe("bad_return");
    expect(error.message).toContain(message);
  });

  it("refuses arguments JSON cannot carry with bad_argument", async () => {
    const { sandbox } = sandboxFor(PASSTHROUGH_HOOK);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const error = await failure(sandbox.call("run", [cyclic]));
    expect(error.code).toBe("bad_argument");
  });

  it("gives the plugin its config frozen, and a copy of each argument", async () => {
    const manifest = hookManifest();
    const host = createFixtureHost({ manifest, config: { maxRequests: 5, tags: ["a"] } });
    const { sandbox } = sandboxFor(
      pluginSource(
        `return { run(request) { request.headers.added = "1"; let writable = true; try { ctx.config.maxRequests = 6; ctx.config.tags.push("b"); } catch { writable = false; } return { action: "respond", status: 200, body: { config: ctx.config, writable, frozen: Object.isFrozen(ctx) } }; } };`,
      ),
      { host, manifest },
    );
    const request = structuredClone(REQUEST);
    await expect(sandbox.call("run", [request])).resolves.toEqual({
      action: "respond",
      status: 200,
      body: { config: { maxRequests: 5, tags: ["a"] }, writable: false, frozen: true },
    });
    expect(request.headers).toEqual({ "x-client": "a" });
  });

  it("applies a call's own timeoutMs when it is lower than the policy's", async () => {
    const { sandbox } = sandboxFor(pluginSource(`return { run: () => new Promise(() => {}) };`));
    const started = performance.now();
    const error = await failure(sandbox.call("run", [REQUEST], { timeoutMs: 50 }));
    expect(error.code).toBe("timeout");
    expect(error.message).toBe("the call did not settle within its wall-clock limit of 50 ms");
    expect(performance.now() - started).toBeLessThan(TEST_LIMITS.wallTimeMs);
  });

  it("stops a call when the caller's signal aborts, without marking the plugin unhealthy", async () => {
    const { sandbox } = sandboxFor(pluginSource(`return { run: () => new Promise(() => {}) };`));
    await sandbox.load();
    const controller = new AbortController();
    const call = sandbox.call("run", [REQUEST], { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await failure(call)).code).toBe("aborted");
    expect(sandbox.health()).toMatchObject({ healthy: true, state: "idle", timeouts: 0 });
    await expect(sandbox.call("run", [REQUEST], { timeoutMs: 20 })).rejects.toThrow(SandboxError);
  });

  it("fails the other calls in flight as crashed when one call's runaway stops the isolate", async () => {
    const { sandbox } = sandboxFor(
      pluginSource(
        `return { async run(request) { if (request.path === "/spin") for (;;) {} await ctx.storage.list(); return { action: "passthrough" }; } };`,
      ),
      { manifest: { ...hookManifest(), permissions: ["storage:read"] } },
    );
    await sandbox.load();
    const waiting = sandbox.call("run", [{ ...REQUEST, path: "/waiting" }]);
    const spinning = sandbox.call("run", [{ ...REQUEST, path: "/spin" }]);
    const [first, second] = await Promise.allSettled([waiting, spinning]);
    const codes = [first, second].map((outcome) =>
      outcome.status === "rejected" && outcome.reason instanceof SandboxError
        ? outcome.reason.code
        : "fulfilled",
    );
    expect(codes.sort()).toEqual(["crashed", "timeout"].sort());
    expect(sandbox.health()).toMatchObject({ timeouts: 1, lastError: { code: "timeout" } });
  });

  it("refuses calls once disposed", async () => {
    const { sandbox } = sandboxFor(PASSTHROUGH_HOOK);
    await sandbox.load();
    sandbox.dispose();
    expect((await failure(sandbox.call("run", [REQUEST]))).code).toBe("disposed");
    expect(sandbox.health().state).toBe("disposed");
  });
});
