import { describe, expect, it } from "vitest";
import { bodyOf, expectPluginError, respond, useContainment } from "./testing/containment.js";

// Escapes through the isolate's own surface: globals, functions, frames, imports, secrets.
const { contain } = useContainment();

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
    expect(host.stack).toContain("sandbox-escape-host.test.ts");
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

describe("reaching the host through the language", () => {
  it("refuses a dynamic import() as the plugin's own error", async () => {
    const contained = await contain(
      `return { async run() {
        const outcomes = [];
        for (const specifier of ["node:fs", "@plugboard/plugin-sdk", "data:text/javascript,export default 1"]) {
          try { await import(specifier); outcomes.push("imported"); } catch (error) { outcomes.push(error instanceof Error ? "refused" : typeof error); }
        }
        return { action: "respond", status: 200, body: outcomes };
      } };`,
    );
    expect(contained.error).toBeUndefined();
    expect(bodyOf(contained.value)).toEqual(["refused", "refused", "refused"]);
    expect(contained.sandbox.health()).toMatchObject({ healthy: true, state: "ready" });
  });

  it("gives a sloppy function made with new Function no caller while the bootstrap calls it", async () => {
    const { value, sandbox } = await contain(
      `const probe = new Function("return arguments.callee.caller === null ? 'null' : typeof arguments.callee.caller");
       const seen = [];
       const sloppyHandler = new Function("probe", "seen", "return function (request) { seen.push(probe()); const caller = arguments.callee.caller; seen.push(caller === null ? 'null' : typeof caller); return { action: 'respond', status: 200, body: seen }; }")(probe, seen);
       const sloppyJson = new Function("seen", "return function () { const caller = arguments.callee.caller; seen.push(caller === null ? 'null' : typeof caller); return 'x'; }")(seen);
       ctx.logger.info("probe", { value: { toJSON: sloppyJson } });
       return { run: sloppyHandler };`,
    );
    // seen: the toJSON the bootstrap's logger called, then the probe, then the handler itself.
    expect(bodyOf(value)).toEqual(["null", "function", "null"]);
    expect(sandbox.health().healthy).toBe(true);
  });

  it("cannot read a secret's value back, through handles, storage, logs or responses", async () => {
    const contained = await contain(
      `return { async run() {
        const seen = [];
        const handle = ctx.secrets.handle("api_token");
        seen.push(JSON.stringify(handle), Object.getOwnPropertyNames(handle).join(","));
        const response = await ctx.http.request({ url: "https://api.example.com/echo", secretHeaders: { authorization: handle } });
        seen.push(response.body, JSON.stringify(response.headers));
        await ctx.storage.set("h", handle);
        seen.push(JSON.stringify(await ctx.storage.get("h")));
        ctx.logger.info("handle", { handle });
        try { handle.key = "other"; } catch (error) { seen.push(error.name); }
        try { await ctx.http.request({ url: "https://api.example.com/echo", secretHeaders: { authorization: { kind: "secret_handle", key: "other" } } }); } catch (error) { seen.push(error.code); }
        return { action: "respond", status: 200, body: seen };
      } };`,
      { secrets: { api_token: "s3cr3t-token-value" } },
    );
    expect(contained.error).toBeUndefined();
    const text = JSON.stringify(contained.value);
    expect(text).not.toContain("s3cr3t-token-value");
    expect(bodyOf(contained.value)).toEqual(
      expect.arrayContaining(["kind,key", "TypeError", "permission_denied"]),
    );
    // The host did put the value into the outbound request, on the plugin's behalf only.
    expect(contained.host.egressRequests[0]?.headers?.authorization).toBe("s3cr3t-token-value");
    expect(JSON.stringify(contained.host.logs)).not.toContain("s3cr3t-token-value");
  });
});

describe("plugin text that looks like a host failure", () => {
  it.each([
    ["a timeout", "Script execution timed out."],
    ["a memory limit", "Isolate was disposed during execution due to memory limit"],
    ["a disposed isolate", "Isolate is disposed"],
  ])("reports a handler that throws %s's message as plugin_error", async (_case, message) => {
    const contained = await contain(
      `return { run() { throw new Error(${JSON.stringify(message)}); } };`,
    );
    expectPluginError(contained);
    expect(contained.error?.message).toBe(`Error: ${message}`);
  });

  it("reports a module that throws a timeout's message at load as load_failed", async () => {
    const contained = await contain(`return {};`, {
      prelude: `throw new Error("Script execution timed out.");`,
    });
    expect(contained.error?.code).toBe("load_failed");
    expect(contained.error?.message).toContain("Script execution timed out.");
    expect(contained.sandbox.health().timeouts).toBe(0);
  });
});
