import { afterEach, describe, expect, it } from "vitest";
import { createHookPipeline } from "../hooks/hook-pipeline.js";
import { sandboxedHook } from "../sandbox/sandboxed-hook.js";
import { instanceSandbox } from "./instance-sandbox.js";
import { LifecycleError } from "./lifecycle-errors.js";
import { createPluginSet } from "./plugin-set.js";
import { answeringSpec } from "./testing/lifecycle-fixtures.js";
import { createSetKit, versionFrom } from "./testing/plugin-set-kit.js";

const kit = createSetKit();
const { sandboxes } = kit;
afterEach(() => kit.closeAll());

const a = (version: string, variant?: string) =>
  answeringSpec("hook.a", version, variant === undefined ? {} : { variant });
const b = (version: string) => answeringSpec("hook.b", version);
const brokenB = answeringSpec("hook.b", "1.0.0", { prelude: 'throw new Error("boom");' });

const versionsOf = (events: readonly { version: string; to: string }[], version: string) =>
  events.filter((event) => event.version === version).map((event) => event.to);

describe("swapping a plugin set", () => {
  it("starts empty at generation 0, with derive's value for no plugins", () => {
    const set = kit.track(
      createPluginSet({
        createSandbox: sandboxes.createSandbox,
        derive: (instances) => `${instances.size} plugins`,
      }),
    );
    expect(set.current()).toMatchObject({ generation: 0, value: "0 plugins" });
    expect(set.current().instances.size).toBe(0);
  });

  it("loads and probes every new plugin, then switches to them at once", async () => {
    const set = kit.setOf();
    const result = await set.swap([a("1.0.0"), b("1.0.0")]);
    expect(result).toEqual({
      ok: true,
      changed: true,
      generation: 1,
      started: ["hook.a", "hook.b"],
      reused: [],
      retired: [],
    });
    const lease = set.acquire();
    expect([...lease.instances.keys()]).toEqual(["hook.a", "hook.b"]);
    expect(lease.instances.get("hook.a")?.state).toBe("running");
    await expect(versionFrom(lease)).resolves.toBe("1.0.0");
    lease.release();
  });

  it("reuses an instance whose key is already loaded instead of loading it again", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0"), b("1.0.0")]);
    const before = set.current().instances.get("hook.a");
    const result = await set.swap([a("1.0.0"), b("2.0.0")]);
    expect(result).toMatchObject({
      ok: true,
      started: ["hook.b"],
      reused: ["hook.a"],
      retired: ["hook.b"],
    });
    expect(set.current().instances.get("hook.a")).toBe(before);
    expect(sandboxes.made(a("1.0.0").key)).toBe(1);
    expect(set.health("hook.a")?.sandbox?.loads).toBe(1);
  });

  it("leaves the current set untouched and stops the new instances when one fails to start", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    const result = await set.swap([a("2.0.0"), brokenB]);
    expect(result).toEqual({
      ok: false,
      generation: 1,
      failures: [
        {
          pluginId: "hook.b",
          key: brokenB.key,
          state: "failed",
          code: "load_failed",
          message: "the plugin's module threw while loading: boom",
          issues: [],
        },
      ],
    });
    expect(set.current().generation).toBe(1);
    await expect(versionFrom(set.current())).resolves.toBe("1.0.0");
    expect(versionsOf(set.transitions("hook.a"), "2.0.0")).toEqual([
      "validated",
      "loading",
      "starting",
      "running",
      "stopping",
      "stopped",
    ]);
    expect(
      set
        .transitions("hook.b")
        .map((event) => event.to)
        .slice(-2),
    ).toEqual(["failed", "stopped"]);
  });

  it("names a spec that does not validate, with its field paths, and loads nothing", async () => {
    const set = kit.setOf();
    const invalid = answeringSpec("hook.b", "1.0.0", { manifest: { timeoutMs: 0 } });
    const result = await set.swap([a("1.0.0"), invalid]);
    expect(result).toMatchObject({
      ok: false,
      generation: 0,
      failures: [
        {
          pluginId: "hook.b",
          state: "failed",
          code: "invalid_plugin",
          issues: [{ path: "timeoutMs" }],
        },
      ],
    });
    expect(sandboxes.made(a("1.0.0").key)).toBe(0);
  });

  it("refuses two specs for the same plugin id", async () => {
    const set = kit.setOf();
    const result = await set.swap([a("1.0.0"), a("2.0.0")]);
    expect(result).toMatchObject({
      ok: false,
      failures: [{ pluginId: "hook.a", code: "duplicate_plugin" }],
    });
  });

  it("runs beforeSwitch after loading and before the switch, with the next generation", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    const seen: unknown[] = [];
    await set.swap([a("2.0.0")], {
      beforeSwitch: async (next) => {
        seen.push(next.generation, set.current().generation, next.instances.get("hook.a")?.state);
      },
    });
    expect(seen).toEqual([2, 1, "running"]);
  });

  it("leaves the current set and stops the new instances when beforeSwitch throws", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    const commit = new Error("the database refused the commit");
    await expect(
      set.swap([a("2.0.0")], {
        beforeSwitch: () => {
          throw commit;
        },
      }),
    ).rejects.toBe(commit);
    expect(set.current().generation).toBe(1);
    await expect(versionFrom(set.current())).resolves.toBe("1.0.0");
    expect(versionsOf(set.transitions("hook.a"), "2.0.0").at(-1)).toBe("stopped");
  });

  it("changes nothing, and keeps the rollback target, when the specs name the current set", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    await set.swap([a("2.0.0")]);
    const result = await set.swap([a("2.0.0")]);
    expect(result).toEqual({
      ok: true,
      changed: false,
      generation: 2,
      started: [],
      reused: ["hook.a"],
      retired: [],
    });
    await expect(set.rollback()).resolves.toEqual({ generation: 1, restored: ["hook.a"] });
  });

  it("runs concurrent swaps one at a time, in the order they were called", async () => {
    const set = kit.setOf();
    const seen: string[] = [];
    const swaps = ["1.0.0", "2.0.0", "3.0.0"].map((version) =>
      set.swap([a(version)], {
        beforeSwitch: (next) => {
          seen.push(`${version} over ${set.current().generation} as ${next.generation}`);
        },
      }),
    );
    const results = await Promise.all(swaps);
    expect(results.map((result) => result.generation)).toEqual([1, 2, 3]);
    expect(seen).toEqual(["1.0.0 over 0 as 1", "2.0.0 over 1 as 2", "3.0.0 over 2 as 3"]);
    await expect(versionFrom(set.current())).resolves.toBe("3.0.0");
  });

  it("replaces or removes one plugin and keeps the others", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0"), b("1.0.0")]);
    await expect(set.replace(b("2.0.0"))).resolves.toMatchObject({
      started: ["hook.b"],
      reused: ["hook.a"],
    });
    await expect(versionFrom(set.current(), "hook.b")).resolves.toBe("2.0.0");
    await expect(set.remove("hook.a")).resolves.toMatchObject({ retired: ["hook.a"] });
    expect([...set.current().instances.keys()]).toEqual(["hook.b"]);
    await expect(set.replace(a("3.0.0"))).resolves.toMatchObject({ started: ["hook.a"] });
    expect([...set.current().instances.keys()]).toEqual(["hook.b", "hook.a"]);
  });

  it("builds each generation's value with derive, such as a hook pipeline", async () => {
    const set = kit.track(
      createPluginSet({
        createSandbox: sandboxes.createSandbox,
        derive: (instances) =>
          createHookPipeline(
            [...instances.values()].map((instance) =>
              sandboxedHook(instance.spec.manifest, instanceSandbox(instance)),
            ),
          ),
      }),
    );
    await set.swap([a("1.0.0", "hook")]);
    const lease = set.acquire();
    const outcome = await lease.value.run("pre_flight", {
      method: "GET",
      path: "/",
      headers: {},
      body: null,
    });
    lease.release();
    expect(outcome).toMatchObject({
      outcome: "respond",
      hookId: "hook.a",
      body: { version: "1.0.0" },
    });
  });
});

describe("reporting and closing", () => {
  it("reports the current instance's health and every transition of the plugin", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    await set.swap([a("2.0.0")]);
    expect(set.health("hook.a")).toMatchObject({ version: "2.0.0", state: "running" });
    expect(set.health("hook.unknown")).toBeUndefined();
    const versions = new Set(set.transitions("hook.a").map((event) => event.version));
    expect([...versions]).toEqual(["1.0.0", "2.0.0"]);
  });

  it("waits for leases, stops every instance, and refuses new work once closed", async () => {
    const set = kit.setOf({ rollbackWindowMs: 60_000 });
    await set.swap([a("1.0.0")]);
    await set.swap([a("2.0.0")]);
    const lease = set.acquire();
    let closed = false;
    const closing = set.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(closed).toBe(false);
    await expect(versionFrom(lease)).resolves.toBe("2.0.0");
    lease.release();
    await closing;
    expect(versionsOf(set.transitions("hook.a"), "1.0.0").at(-1)).toBe("stopped");
    expect(versionsOf(set.transitions("hook.a"), "2.0.0").at(-1)).toBe("stopped");
    expect(() => set.acquire()).toThrow(LifecycleError);
    await expect(set.swap([a("3.0.0")])).rejects.toMatchObject({ code: "closed" });
    await expect(set.rollback()).rejects.toMatchObject({ code: "closed" });
  });

  it("stops everything after closeTimeoutMs even while a lease is held", async () => {
    const set = kit.setOf({ closeTimeoutMs: 30 });
    await set.swap([a("1.0.0")]);
    const lease = set.acquire();
    await set.close();
    expect(lease.instances.get("hook.a")?.state).toBe("stopped");
    await expect(versionFrom(lease)).rejects.toMatchObject({ code: "stopped" });
    lease.release();
  });

  it("lets swaps called before close finish, and refuses those called after", async () => {
    const set = kit.setOf();
    const swapped = set.swap([a("1.0.0")]);
    const closing = set.close();
    await expect(swapped).resolves.toMatchObject({ ok: true });
    await closing;
    expect(set.current().instances.get("hook.a")?.state).toBe("stopped");
  });
});
