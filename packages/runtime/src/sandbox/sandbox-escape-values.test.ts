import { describe, expect, it } from "vitest";
import { expectPluginError, expectStopped, useContainment } from "./testing/containment.js";

// Values plugin code hands back, and the built-ins the bootstrap relies on, bent by plugin code.
const { contain } = useContainment();

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

// A module prelude runs before setup, so it could poison what the bootstrap uses at any
// later point. The bootstrap uses what it captured before plugin code ran.
const POISONS: ReadonlyArray<readonly [string, string]> = [
  [
    "setters on Object.prototype",
    `for (const name of ["code", "name", "message", "secretMessage", "reply", "notify", "ok"]) {
       Object.defineProperty(Object.prototype, name, { set() { throw new Error("poisoned " + name); }, configurable: true });
     }`,
  ],
  [
    "a setter on Array.prototype[0]",
    `Object.defineProperty(Array.prototype, 0, { set() { throw new Error("poisoned index"); }, configurable: true });
     Array.prototype[Symbol.iterator] = function () { throw new Error("poisoned iterator"); };
     Array.prototype.join = function () { throw new Error("poisoned join"); };`,
  ],
  [
    "a read-only Error.prototype.name",
    `Object.defineProperty(Error.prototype, "name", { value: "Error", writable: false });`,
  ],
  [
    "JSON.stringify and JSON.parse",
    `JSON.stringify = () => { throw new Error("poisoned stringify"); };
     JSON.parse = () => { throw new Error("poisoned parse"); };`,
  ],
  [
    "get and set on Object.prototype, which descriptors read",
    `Object.prototype.get = function () { return "poisoned get"; };
     Object.prototype.set = function () { throw new Error("poisoned set"); };`,
  ],
  [
    "Promise.prototype.then",
    `Promise.prototype.then = function () { throw new Error("poisoned then"); };`,
  ],
  [
    "Promise[Symbol.species]",
    `Object.defineProperty(Promise, Symbol.species, { get() { throw new Error("poisoned species"); } });`,
  ],
];

describe("built-ins poisoned by a module prelude", () => {
  it.each(POISONS)("still loads, answers, refuses and logs with %s", async (_case, prelude) => {
    const contained = await contain(
      `return { run(request) {
          let denied;
          try { ctx.secrets.handle("nope"); } catch (error) { denied = Object.getOwnPropertyDescriptor(error, "code").value; }
          ctx.logger.info("poisoned", { path: request.path });
          return { action: "respond", status: 200, body: { denied, path: request.path } };
        } };`,
      { prelude },
    );
    expect(contained.error).toBeUndefined();
    expect(contained.value).toEqual({
      action: "respond",
      status: 200,
      body: { denied: "permission_denied", path: "/" },
    });
    expect(contained.host.logs.map((line) => line.message)).toContain("poisoned");
    expect(contained.sandbox.health()).toMatchObject({ healthy: true, state: "ready" });
  });

  it.each(POISONS)(
    "settles an async handler and its context calls with %s",
    async (_case, prelude) => {
      const contained = await contain(
        `return { run: async () => {
        await ctx.storage.set("k", { at: 1 });
        const stored = await ctx.storage.get("k");
        return { action: "respond", status: 200, body: stored };
      } };`,
        { prelude },
      );
      expect(contained.error).toBeUndefined();
      expect(contained.value).toEqual({ action: "respond", status: 200, body: { at: 1 } });
      expect(contained.sandbox.health()).toMatchObject({ healthy: true, state: "ready" });
    },
  );

  it("still reports a handler's throw as plugin_error with a poisoned Object.prototype.toJSON", async () => {
    const contained = await contain(`return { run() { throw new Error("refused"); } };`, {
      prelude: `Object.defineProperty(Object.prototype, "toJSON", { value() { return "poisoned"; }, configurable: true });`,
    });
    expectPluginError(contained);
    expect(contained.error?.message).toBe("Error: refused");
  });

  it("reports a poisoned Promise.prototype.constructor as the plugin's error, not a crash", async () => {
    const contained = await contain(`return { run: async () => ({ action: "passthrough" }) };`, {
      prelude: `Object.defineProperty(Promise.prototype, "constructor", { get() { throw new Error("poisoned constructor"); } });`,
    });
    expectPluginError(contained);
    expect(contained.error?.message).toBe("Error: poisoned constructor");
  });

  it("stops a poisoned Promise.prototype.constructor that loops, as a runaway", async () => {
    const contained = await contain(`return { run: async () => ({ action: "passthrough" }) };`, {
      prelude: `Object.defineProperty(Promise.prototype, "constructor", { get() { for (;;) {} } });`,
    });
    expectStopped(contained, "timeout");
  });
});
