import { describe, expect, it } from "vitest";
import { bodyOf, expectStopped, HOSTILE_MANIFEST, useContainment } from "./testing/containment.js";
import { fixtureSandbox, pluginSource } from "./testing/plugin-fixtures.js";

// The plugin's context, called with hostile values and kept busy in the background.
const { contain, track } = useContainment();

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
      { limits: { cpuTimeMs: 1_000, wallTimeMs: 5_000 } },
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

  it("rejects hostile patterns and handlers given to events.subscribe", async () => {
    const contained = await contain(
      `return { async run() {
        const codes = [];
        const attempt = async (call) => { try { await call(); codes.push("accepted"); } catch (error) { codes.push(error.code ?? error.name); } };
        const handler = () => {};
        await attempt(() => ctx.events.subscribe({ get boom() { throw new Error("getter"); } }, handler));
        await attempt(() => ctx.events.subscribe(new Proxy({}, { ownKeys() { throw new Error("trap"); } }), handler));
        await attempt(() => ctx.events.subscribe("escape." + "x".repeat(2 * 1024 * 1024), handler));
        await attempt(() => { const a = {}; a.self = a; return ctx.events.subscribe(a, handler); });
        await attempt(() => ctx.events.subscribe("escape.*", "not a function"));
        await attempt(() => ctx.events.subscribe("elsewhere.*", handler));
        await attempt(() => ctx.events.subscribe("escape.*", new Proxy(handler, {})));
        return { action: "respond", status: 200, body: codes };
      } };`,
      { limits: { cpuTimeMs: 1_000, wallTimeMs: 5_000 } },
    );
    expect(bodyOf(contained.value)).toEqual([
      "invalid_argument",
      "invalid_argument",
      "limit_exceeded",
      "invalid_argument",
      "TypeError",
      "permission_denied",
      "accepted",
    ]);
    expect(contained.sandbox.health()).toMatchObject({ healthy: true, state: "ready" });
  });

  it("refuses hostile keys given to secrets.handle without reading them", async () => {
    const contained = await contain(
      `return { run() {
        const seen = [];
        let reads = 0;
        const attempt = (key) => { try { ctx.secrets.handle(key); seen.push("accepted"); } catch (error) { seen.push(error.code + ": " + error.message.length); } };
        attempt({ toString() { reads += 1; return "api_token"; } });
        attempt(new Proxy({}, { get() { reads += 1; throw new Error("trap"); } }));
        attempt("x".repeat(2 * 1024 * 1024));
        attempt(Object.assign(["api_token"], { toString() { reads += 1; return "api_token"; } }));
        return { action: "respond", status: 200, body: { seen, reads } };
      } };`,
      { limits: { cpuTimeMs: 1_000, wallTimeMs: 5_000 } },
    );
    const body = bodyOf(contained.value);
    expect(body).toMatchObject({ reads: 0 });
    const seen =
      body !== null && typeof body === "object" && !Array.isArray(body) ? body.seen : undefined;
    expect(Array.isArray(seen) ? seen.map((entry) => String(entry).split(":")[0]) : []).toEqual([
      "permission_denied",
      "permission_denied",
      "permission_denied",
      "permission_denied",
    ]);
    // The message names at most 100 characters of a huge key.
    expect(JSON.stringify(seen)).not.toMatch(/: [0-9]{4,}/);
  });

  it("rejects hostile records given to data.put and stores only a plain copy of a record", async () => {
    const contained = await contain(
      `return { async run() {
        const codes = [];
        const attempt = async (call) => { try { await call(); codes.push("accepted"); } catch (error) { codes.push(error.code ?? error.name); } };
        await attempt(() => ctx.data.put("contact", { id: "c1", get boom() { throw new Error("getter"); } }));
        await attempt(() => ctx.data.put("contact", new Proxy({ id: "c1" }, { ownKeys() { throw new Error("trap"); } })));
        await attempt(() => ctx.data.put("contact", { id: "c1", blob: "x".repeat(2 * 1024 * 1024) }));
        await attempt(() => { const r = { id: "c1" }; r.self = r; return ctx.data.put("contact", r); });
        await attempt(() => ctx.data.put("contact", { id: 42 }));
        await attempt(() => ctx.data.put("contact", { id: "c1", __proto__: { admin: true } }));
        await attempt(() => ctx.data.put({ toString() { return "contact"; } }, { id: "c1" }));
        return { action: "respond", status: 200, body: codes };
      } };`,
      { limits: { cpuTimeMs: 1_000, wallTimeMs: 5_000 } },
    );
    expect(bodyOf(contained.value)).toEqual([
      "invalid_argument",
      "invalid_argument",
      "limit_exceeded",
      "invalid_argument",
      "invalid_argument",
      "accepted",
      "invalid_argument",
    ]);
    const stored = await contained.host.services.data?.get("hook.fixture", "contact", "c1");
    // Only the record with an inherited field was stored, and without that field.
    expect(stored).toEqual({ id: "c1" });
  });
});

describe("context calls left running in the background", () => {
  it("drops context calls a plugin keeps making after its calls are over", async () => {
    let reads = 0;
    const manifest = HOSTILE_MANIFEST;
    const { sandbox, host } = fixtureSandbox(
      pluginSource(
        `return { run() { (async () => { for (;;) await ctx.storage.get("k"); })(); return { action: "passthrough" }; } };`,
      ),
      { manifest, limits: { backgroundGraceMs: 50 } },
    );
    track(sandbox);
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

  it("drops a background loop's context calls after its own call settles, while other calls keep the plugin busy", async () => {
    let loopReads = 0;
    const { sandbox, host } = fixtureSandbox(
      pluginSource(
        `return { async run(request) {
          if (request.path === "/background") {
            (async () => { for (;;) await ctx.storage.get("loop"); })();
            return { action: "passthrough" };
          }
          await ctx.storage.get("slow");
          return { action: "passthrough" };
        } };`,
      ),
      {
        manifest: HOSTILE_MANIFEST,
        limits: { backgroundGraceMs: 50, cpuTimeMs: 1_000, wallTimeMs: 5_000 },
      },
    );
    track(sandbox);
    const storage = host.services.storage;
    if (storage === undefined) throw new Error("fixture has storage");
    const get = storage.get.bind(storage);
    storage.get = async (pluginId, key) => {
      if (key === "loop") loopReads += 1;
      if (key === "slow") await new Promise((resolve) => setTimeout(resolve, 600));
      return get(pluginId, key);
    };
    await sandbox.load();
    const slow = sandbox.call("run", [{ path: "/slow" }]);
    await sandbox.call("run", [{ path: "/background" }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const afterGrace = loopReads;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The slow call is still in flight, yet the loop got no answer after its grace.
    expect(loopReads).toBe(afterGrace);
    expect(sandbox.health().droppedContextCalls).toBe(1);
    await expect(slow).resolves.toEqual({ action: "passthrough" });
    expect(sandbox.health()).toMatchObject({ healthy: true, state: "ready" });
  });
});
