import { afterEach, describe, expect, it } from "vitest";
import { createPluginSet } from "./plugin-set.js";
import { answeringSpec, waitFor } from "./testing/lifecycle-fixtures.js";
import { createSetKit, versionFrom } from "./testing/plugin-set-kit.js";

const kit = createSetKit();
const { sandboxes } = kit;
afterEach(() => kit.closeAll());

const a = (version: string, variant?: string) =>
  answeringSpec("hook.a", version, variant === undefined ? {} : { variant });
const b = (version: string) => answeringSpec("hook.b", version);

describe("keeping what left the set within the rollback window", () => {
  it("reuses an instance that left the set, through unrelated swaps, when a swap names its key again", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0"), b("1.0.0")]);
    const first = set.current().instances.get("hook.a");
    await set.swap([a("2.0.0"), b("1.0.0")]);
    await set.swap([a("2.0.0"), b("2.0.0")]);
    await set.swap([a("2.0.0"), b("3.0.0")]);
    await expect(set.swap([a("1.0.0"), b("3.0.0")])).resolves.toMatchObject({
      started: [],
      reused: ["hook.a", "hook.b"],
    });
    expect(set.current().instances.get("hook.a")).toBe(first);
    expect(first?.state).toBe("running");
    expect(sandboxes.made(a("1.0.0").key)).toBe(1);
    await expect(versionFrom(set.current())).resolves.toBe("1.0.0");
  });

  it("keeps one instance per plugin and version, letting an older one of the same version go", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0", "first")]);
    const first = set.current().instances.get("hook.a");
    await set.swap([a("1.0.0", "second")]);
    const second = set.current().instances.get("hook.a");
    await set.swap([a("2.0.0")]);
    await set.swap([a("3.0.0")]);
    await waitFor(() => first?.state === "stopped", "the older instance of 1.0.0 to stop");
    expect(second?.state).toBe("running");
  });

  it("stops what left the set once its window closes", async () => {
    const set = kit.setOf({ rollbackWindowMs: 80 });
    await set.swap([a("1.0.0"), b("1.0.0")]);
    const first = set.current().instances.get("hook.a");
    await set.swap([a("2.0.0"), b("1.0.0")]);
    await set.swap([a("2.0.0"), b("2.0.0")]);
    expect(first?.state).toBe("running");
    await waitFor(() => first?.state === "stopped", "the window to close");
  });

  it("keeps nothing that left the set when there is no rollback window", async () => {
    const set = kit.setOf({ rollbackWindowMs: 0 });
    await set.swap([a("1.0.0")]);
    const first = set.current().instances.get("hook.a");
    await set.swap([a("2.0.0")]);
    await waitFor(() => first?.state === "stopped", "the old instance to stop");
    await expect(set.swap([a("1.0.0")])).resolves.toMatchObject({ started: ["hook.a"] });
  });
});

describe("a swap's own derive", () => {
  it("builds the next value from the instances and the current generation", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    const seen: number[] = [];
    const result = await set.swap([a("1.0.0")], {
      derive: (instances, current) => {
        seen.push(instances.size, current.generation);
        return undefined;
      },
    });
    expect(seen).toEqual([1, 1]);
    // It returned the current value and every instance was carried over: nothing switched.
    expect(result).toMatchObject({ ok: true, changed: false, generation: 1 });
  });

  it("switches to a new generation with the same instances when it returns a new value", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    const before = set.current();
    const generations: number[] = [];
    const result = await set.swap([a("1.0.0")], {
      derive: () => undefined,
      beforeSwitch: (next) => {
        generations.push(next.generation);
      },
    });
    expect(result).toMatchObject({ ok: true, changed: false });
    expect(generations).toEqual([1]);
    expect(set.current()).toBe(before);
  });

  it("switches at once when the value changes while every instance is carried over", async () => {
    const set = kit.track(
      createPluginSet({
        createSandbox: sandboxes.createSandbox,
        derive: () => "from the set",
        health: { probeIntervalMs: 0 },
      }),
    );
    await set.swap([a("1.0.0")]);
    const instance = set.current().instances.get("hook.a");
    const result = await set.swap([a("1.0.0")], {
      derive: (_instances, current) => `${current.value} and the host`,
    });
    expect(result).toMatchObject({ ok: true, changed: true, generation: 2, reused: ["hook.a"] });
    expect(set.current().value).toBe("from the set and the host");
    expect(set.current().instances.get("hook.a")).toBe(instance);
    await expect(set.rollback()).resolves.toEqual({ generation: 1, restored: [] });
    expect(set.current().value).toBe("from the set");
  });

  it("stops the new instances and switches nothing when it throws", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    const broken = new Error("the value cannot be built");
    await expect(
      set.swap([a("2.0.0")], {
        derive: () => {
          throw broken;
        },
      }),
    ).rejects.toBe(broken);
    expect(set.current().generation).toBe(1);
    await expect(versionFrom(set.current())).resolves.toBe("1.0.0");
  });
});
