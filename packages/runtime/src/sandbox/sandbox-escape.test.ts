import type { JsonValue } from "@plugboard/plugin-sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "./sandbox.js";
import { SandboxError, type SandboxErrorCode } from "./sandbox-errors.js";
import type { SandboxLimitsInput } from "./sandbox-limits.js";
import {
  type FixtureManifest,
  fixtureSandbox,
  hookManifest,
  PASSTHROUGH_HOOK,
  pluginSource,
} from "./testing/plugin-fixtures.js";

// Each case runs hostile plugin code while the host keeps working: a timer ticks on the
// host's event loop and another sandboxed plugin answers calls. Each must be contained (a
// clean result or a SandboxError) and the host's work must go on during and after it.

const MANIFEST: FixtureManifest = {
  ...hookManifest(),
  permissions: ["storage:read", "storage:write", "event:publish:escape.*"],
  secretKeys: ["api_token"],
};

const open: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of open.splice(0)) sandbox.dispose();
});

let neighbour: Sandbox;
beforeAll(async () => {
  neighbour = fixtureSandbox(PASSTHROUGH_HOOK).sandbox;
  await neighbour.load();
});
afterAll(() => neighbour.dispose());

interface Contained {
  readonly value: JsonValue | undefined;
  readonly error: SandboxError | undefined;
  readonly ticks: number;
  readonly neighbourCalls: number;
  readonly sandbox: Sandbox;
}

/** Runs `run` of the hostile plugin while the host ticks and the neighbour serves calls. */
async function contain(
  setupBody: string,
  options: { readonly limits?: SandboxLimitsInput; readonly prelude?: string } = {},
): Promise<Contained> {
  const { sandbox } = fixtureSandbox(pluginSource(setupBody, { prelude: options.prelude ?? "" }), {
    manifest: MANIFEST,
    limits: options.limits ?? {},
  });
  open.push(sandbox);
  await sandbox.load();
  let ticks = 0;
  const ticker = setInterval(() => {
    ticks += 1;
  }, 5);
  let neighbourCalls = 0;
  let running = true;
  const serving = (async () => {
    while (running) {
      await neighbour.call("run", [{}]);
      neighbourCalls += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const outcome = await sandbox.call("run", [{ path: "/" }]).then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => {
      if (error instanceof SandboxError) return { value: undefined, error };
      throw error;
    },
  );
  running = false;
  await serving;
  clearInterval(ticker);
  // The host still serves after the case, and so does the hostile plugin's own sandbox.
  await expect(neighbour.call("run", [{}])).resolves.toEqual({ action: "passthrough" });
  return { ...outcome, ticks, neighbourCalls, sandbox };
}

function expectStopped(contained: Contained, code: SandboxErrorCode): void {
  expect(contained.error?.code).toBe(code);
  expect(contained.ticks).toBeGreaterThan(0);
  expect(contained.neighbourCalls).toBeGreaterThan(0);
  expect(contained.sandbox.health()).toMatchObject({ healthy: false, state: "idle" });
}

const respond = (expression: string) =>
  `return { run() { return { action: "respond", status: 200, body: ${expression} }; } };`;

describe("reaching the host", () => {
  it("finds no host globals through constructor chains", async () => {
    const { value } = await contain(
      respond(`{
        viaThis: this.constructor.constructor("return typeof process")(),
        viaObject: ({}).constructor.constructor("return typeof require")(),
        viaContext: ctx.storage.get.constructor("return typeof module")(),
        viaPrototype: Object.getPrototypeOf(ctx.logger).constructor.constructor("return typeof globalThis.process")(),
        viaGenerator: (function* () {}).constructor("return typeof process")().next().value,
      }`),
    );
    expect(value).toMatchObject({
      body: {
        viaThis: "undefined",
        viaObject: "undefined",
        viaContext: "undefined",
        viaPrototype: "undefined",
        viaGenerator: "undefined",
      },
    });
  });

  it("sees only JavaScript built-ins on its global object, and no isolate handles", async () => {
    const { value } = await contain(respond("Reflect.ownKeys(globalThis).map(String)"));
    const names =
      value !== null && typeof value === "object" && !Array.isArray(value) ? value.body : [];
    expect(Array.isArray(names) ? names : []).toEqual(expect.arrayContaining(["Object", "JSON"]));
    for (const forbidden of [
      "process",
      "require",
      "module",
      "global",
      "Buffer",
      "fetch",
      "setTimeout",
      "setInterval",
      "setImmediate",
      "queueMicrotask",
      "ivm",
      "_ivm",
      "SharedArrayBuffer",
      "Atomics",
      "WebAssembly",
      "FinalizationRegistry",
      "$0",
    ]) {
      expect(names).not.toContain(forbidden);
    }
  });

  it("cannot climb from context functions to the bootstrap or its callback", async () => {
    const { value } = await contain(
      respond(`(() => {
        const seen = [];
        const probe = (fn) => {
          try { seen.push(fn.caller === undefined ? "none" : typeof fn.caller); } catch (error) { seen.push(error.name); }
          seen.push(Object.getOwnPropertyNames(fn).sort().join(","));
        };
        probe(ctx.storage.get);
        probe(ctx.logger.info);
        probe(ctx.secrets.handle);
        return seen;
      })()`),
    );
    expect(value).toMatchObject({
      body: ["TypeError", "length,name", "TypeError", "length,name", "TypeError", "length,name"],
    });
  });

  it("gets no host frames, functions or paths from Error.prepareStackTrace", async () => {
    const { value } = await contain(
      `return { async run() {
        const frames = [];
        Error.prepareStackTrace = (error, callSites) => {
          for (const site of callSites) frames.push({ fn: typeof site.getFunction(), self: typeof site.getThis(), file: String(site.getFileName()) });
          return "prepared";
        };
        let fromHost = "";
        try { await ctx.storage.get(42); } catch (error) { fromHost = String(error.stack); }
        try { await ctx.storage.set("k", { toJSON() { return new Error("inside the bootstrap").stack; } }); } catch {}
        ctx.logger.info("x", { toJSON() { new Error().stack; return {}; } });
        return { action: "respond", status: 200, body: { frames, fromHost } };
      } };`,
    );
    const body =
      value !== null && typeof value === "object" && !Array.isArray(value) ? value.body : {};
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/node_modules|\/work\/|\.ts:|isolated-vm/);
    expect(text).toContain("plugboard:sandbox");
    const frames =
      body !== null &&
      typeof body === "object" &&
      !Array.isArray(body) &&
      Array.isArray(body.frames)
        ? body.frames
        : [];
    expect(frames.length).toBeGreaterThan(0);
    // Frames of the bootstrap (strict code) hand out neither their function nor their receiver.
    for (const frame of frames) {
      if (
        frame !== null &&
        typeof frame === "object" &&
        !Array.isArray(frame) &&
        frame.file !== "plugboard-plugin:hook.fixture@1.0.0"
      ) {
        expect([frame.fn, frame.self]).toEqual(["undefined", "undefined"]);
      }
    }
    const host = new Error("host");
    expect(host.stack).toContain("sandbox-escape.test.ts");
  });

  it("cannot read a secret's value, only a handle to it", async () => {
    const { value } = await contain(respond(`ctx.secrets.handle("api_token")`));
    expect(value).toMatchObject({ body: { kind: "secret_handle", key: "api_token" } });
  });
});

describe("bending values that cross the boundary", () => {
  it("turns a Proxy returned as a result into plain JSON, traps run only in the isolate", async () => {
    const { value } = await contain(
      `return { run() { return new Proxy({}, {
        ownKeys: () => ["action"],
        getOwnPropertyDescriptor: () => ({ value: "passthrough", enumerable: true, configurable: true }),
        get: (_target, key) => (key === "action" ? "passthrough" : undefined),
      }); } };`,
    );
    expect(value).toEqual({ action: "passthrough" });
  });

  it("contains a Proxy whose traps throw as bad_return", async () => {
    const contained = await contain(
      `return { run() { return new Proxy({}, { ownKeys() { throw new Error("trap"); } }); } };`,
    );
    expect(contained.error?.code).toBe("bad_return");
    expect(contained.error?.message).toContain("trap");
  });

  it("contains a Proxy whose trap loops with timeout", async () => {
    const contained = await contain(
      `return { run() { return new Proxy({}, { ownKeys() { for (;;) {} } }); } };`,
    );
    expectStopped(contained, "timeout");
  });

  it("cannot reach the host through Reflect on the request it was given", async () => {
    const { value } = await contain(
      `return { run(request) {
        const proto = Reflect.getPrototypeOf(request);
        return { action: "respond", status: 200, body: {
          sameRealm: proto === Object.prototype,
          global: typeof Reflect.getPrototypeOf(proto),
          process: typeof request.constructor.constructor("return this")().process,
        } };
      } };`,
    );
    expect(value).toMatchObject({
      body: { sameRealm: true, global: "object", process: "undefined" },
    });
  });

  it("contains a poisoned Object.prototype.toJSON as bad_return, leaving the host's objects alone", async () => {
    const contained = await contain(
      `return { run() {
        Object.defineProperty(Object.prototype, "toJSON", { value() { return "x".repeat(10); } });
        return { action: "passthrough" };
      } };`,
    );
    expect(contained.error?.code).toBe("bad_return");
    expect(Object.hasOwn(Object.prototype, "toJSON")).toBe(false);
  });

  it("contains a result larger than the cap as return_too_large", async () => {
    const contained = await contain(respond(`"x".repeat(2 * 1024 * 1024)`));
    expect(contained.error?.code).toBe("return_too_large");
    expect(contained.sandbox.health().healthy).toBe(false);
  });

  it("contains a result too large for the isolate's memory as memory_limit", async () => {
    const contained = await contain(
      respond(`Array.from({ length: 64 }, (_, i) => "y".repeat(1024 * 1024) + i)`),
      { limits: { cpuTimeMs: 5_000, wallTimeMs: 10_000 } },
    );
    expect(["memory_limit", "return_too_large"]).toContain(contained.error?.code);
  });
});

describe("promise tricks", () => {
  it("ignores a replaced Promise.prototype.then: the sandbox kept the original", async () => {
    const { value } = await contain(
      `Promise.prototype.then = function () { throw new Error("hijacked"); };
       return { async run() { return { action: "passthrough" }; } };`,
    );
    expect(value).toEqual({ action: "passthrough" });
  });

  it("contains a Promise subclass with a hostile species", async () => {
    const contained = await contain(
      `class Evil extends Promise {
         static get [Symbol.species]() { return function () { for (;;) {} }; }
       }
       return { run() { return Evil.resolve({ action: "passthrough" }).then((v) => v); } };`,
    );
    // Evil's own `then` builds through the species: the loop runs in the isolate and is stopped.
    expectStopped(contained, "timeout");
  });

  it("stops a thenable that never calls back at the wall-clock limit", async () => {
    const contained = await contain(`return { run: () => ({ then() {} }) };`, {
      limits: { wallTimeMs: 200 },
    });
    expectStopped(contained, "timeout");
    expect(contained.error?.message).toBe(
      "the call did not settle within its wall-clock limit of 200 ms",
    );
  });

  it("reports a thenable whose then getter throws as plugin_error", async () => {
    const contained = await contain(
      `return { run: () => ({ get then() { throw new Error("getter"); } }) };`,
    );
    expect(contained.error?.code).toBe("plugin_error");
  });
});

describe("shared memory", () => {
  it("has no SharedArrayBuffer, Atomics or WebAssembly to build one with", async () => {
    const { value } = await contain(
      respond(
        `[typeof SharedArrayBuffer, typeof Atomics, typeof WebAssembly, typeof FinalizationRegistry]`,
      ),
    );
    expect(value).toMatchObject({ body: ["undefined", "undefined", "undefined", "undefined"] });
  });
});

describe("runaways", () => {
  it("stops a synchronous infinite loop with timeout", async () => {
    expectStopped(await contain(`return { run() { for (;;) {} } };`), "timeout");
  });

  it("stops a microtask loop with timeout", async () => {
    expectStopped(await contain(`return { async run() { for (;;) await null; } };`), "timeout");
  });

  it("stops an async loop over context calls at the wall-clock limit", async () => {
    const contained = await contain(
      `return { async run() { for (;;) await ctx.storage.get("k"); } };`,
      { limits: { wallTimeMs: 300 } },
    );
    expectStopped(contained, "timeout");
  });

  it("stops a never-settling promise at the wall-clock limit", async () => {
    expectStopped(
      await contain(`return { run: () => new Promise(() => {}) };`, {
        limits: { wallTimeMs: 200 },
      }),
      "timeout",
    );
  });

  it("stops a loop that resumes after a context call with timeout", async () => {
    expectStopped(
      await contain(`return { async run() { await ctx.storage.get("k"); for (;;) {} } };`),
      "timeout",
    );
  });

  it("stops memory growth with memory_limit", async () => {
    const contained = await contain(
      `return { run() { const hoard = []; for (;;) hoard.push(new Array(100000).fill(Math.random())); } };`,
      { limits: { cpuTimeMs: 5_000, wallTimeMs: 10_000 } },
    );
    expectStopped(contained, "memory_limit");
    expect(contained.sandbox.health().memoryLimits).toBe(1);
  });

  it("reports deep recursion as plugin_error with the stack overflow, and keeps the plugin", async () => {
    const contained = await contain(
      `return { run() { const down = (n) => down(n + 1) + 1; return down(0); } };`,
    );
    expect(contained.error?.code).toBe("plugin_error");
    expect(contained.error?.message).toBe("RangeError: Maximum call stack size exceeded");
    expect(contained.sandbox.health()).toMatchObject({ state: "ready" });
  });

  it("stops recursion that catches its own stack overflow with timeout", async () => {
    expectStopped(
      await contain(
        `return { run() { const down = () => { try { down(); } catch { down(); } }; down(); } };`,
      ),
      "timeout",
    );
  });

  it("stops catastrophic regular-expression backtracking with timeout", async () => {
    expectStopped(await contain(respond(`/^(a+)+$/.test("a".repeat(40) + "b")`)), "timeout");
  });

  it("loads a fresh isolate on the next call after a runaway", async () => {
    const contained = await contain(
      `let calls = 0;
       return { async run() {
         calls += 1;
         if ((await ctx.storage.get("spun")) !== true) { await ctx.storage.set("spun", true); for (;;) {} }
         return { action: "respond", status: 200, body: calls };
       } };`,
    );
    expect(contained.error?.code).toBe("timeout");
    // A fresh isolate: module state starts over, storage persists.
    await expect(contained.sandbox.call("run", [{}])).resolves.toMatchObject({ body: 1 });
    expect(contained.sandbox.health()).toMatchObject({
      healthy: true,
      loads: 2,
      timeouts: 1,
      lastError: { code: "timeout" },
    });
  });

  it("drops context calls a plugin keeps making after its calls are over", async () => {
    let reads = 0;
    const manifest = MANIFEST;
    const { sandbox, host } = fixtureSandbox(
      pluginSource(
        `return { run() { (async () => { for (;;) await ctx.storage.get("k"); })(); return { action: "passthrough" }; } };`,
      ),
      { manifest, limits: { backgroundGraceMs: 50 } },
    );
    open.push(sandbox);
    const storage = host.services.storage;
    if (storage === undefined) throw new Error("fixture has storage");
    const get = storage.get.bind(storage);
    storage.get = async (pluginId, key) => {
      reads += 1;
      return get(pluginId, key);
    };
    await sandbox.call("run", [{}]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const settled = reads;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reads).toBe(settled);
    expect(sandbox.health().droppedContextCalls).toBe(1);
  });
});

describe("context functions called with hostile arguments", () => {
  it("rejects getters, proxies, huge strings, cyclic values and wrong types as errors the plugin can catch", async () => {
    const { value } = await contain(
      `return { async run() {
        const codes = [];
        const attempt = async (call) => { try { await call(); codes.push("accepted"); } catch (error) { codes.push(error.code ?? error.name); } };
        await attempt(() => ctx.storage.set("k", { get boom() { throw new Error("getter"); } }));
        await attempt(() => ctx.storage.set("k", new Proxy({}, { ownKeys() { throw new Error("trap"); } })));
        await attempt(() => ctx.storage.set("k", "x".repeat(16 * 1024 * 1024)));
        await attempt(() => { const a = {}; a.self = a; return ctx.events.publish("escape.loop", a); });
        await attempt(() => ctx.storage.get({ toString() { return "k"; } }));
        await attempt(() => ctx.http.request("https://api.example.com/"));
        await attempt(() => ctx.logger.info(Symbol("x")));
        return { action: "respond", status: 200, body: codes };
      } };`,
    );
    expect(value).toMatchObject({
      body: [
        "invalid_argument",
        "invalid_argument",
        "limit_exceeded",
        "invalid_argument",
        "invalid_argument",
        "invalid_argument",
        "TypeError",
      ],
    });
  });

  it("stops a getter that loops while its argument is serialised, with timeout", async () => {
    expectStopped(
      await contain(
        `return { run: () => ctx.storage.set("k", { get forever() { for (;;) {} } }) };`,
      ),
      "timeout",
    );
  });
});

describe("inline dispatch", () => {
  it("holds the event loop at most one CPU limit for a runaway, then dispatches on the thread pool", async () => {
    const { sandbox } = fixtureSandbox(pluginSource(`return { run() { for (;;) {} } };`), {
      limits: { dispatch: "inline", cpuTimeMs: 50 },
    });
    open.push(sandbox);
    await sandbox.load();
    const started = performance.now();
    const error = await sandbox.call("run", [{}]).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SandboxError);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(sandbox.health().dispatch).toBe("thread");
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 5);
    await sandbox.call("run", [{}]).catch(() => undefined);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(0);
  });
});
