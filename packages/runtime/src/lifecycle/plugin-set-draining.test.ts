import { afterEach, describe, expect, it } from "vitest";
import { answeringSpec, waitFor } from "./testing/lifecycle-fixtures.js";
import { createSetKit, versionFrom } from "./testing/plugin-set-kit.js";

const kit = createSetKit();
const { sandboxes } = kit;
afterEach(() => kit.closeAll());

const a = (version: string) => answeringSpec("hook.a", version);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("draining old generations", () => {
  it("finishes a call started before a swap on the old version, while new calls get the new one", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    const old = set.acquire();
    const slow = versionFrom(old, "hook.a", "/slow");
    await waitFor(() => sandboxes.slowWaiting() === 1, "the slow call to wait");
    await set.swap([a("2.0.0")]);
    const fresh = set.acquire();
    await expect(versionFrom(fresh)).resolves.toBe("2.0.0");
    sandboxes.releaseSlow();
    await expect(slow).resolves.toBe("1.0.0");
    await expect(versionFrom(old)).resolves.toBe("1.0.0");
    old.release();
    fresh.release();
  });

  it("stops an old instance only once its last lease is released and the window has closed", async () => {
    const set = kit.setOf({ rollbackWindowMs: 80 });
    await set.swap([a("1.0.0")]);
    const lease = set.acquire();
    const second = set.acquire();
    const old = lease.instances.get("hook.a");
    await set.swap([a("2.0.0")]);
    await pause(120);
    expect(old?.state).toBe("running");
    lease.release();
    lease.release();
    expect(old?.state).toBe("running");
    second.release();
    await waitFor(() => old?.state === "stopped", "the old instance to stop");
    expect(old?.health().sandbox?.state).toBe("disposed");
  });

  it("keeps an old instance with no lease loaded until the rollback window closes", async () => {
    const set = kit.setOf({ rollbackWindowMs: 80 });
    await set.swap([a("1.0.0")]);
    const old = set.current().instances.get("hook.a");
    await set.swap([a("2.0.0")]);
    await pause(20);
    expect(old?.state).toBe("running");
    await waitFor(() => old?.state === "stopped", "the window to close");
  });

  it("stops an old instance at once when there is no rollback window", async () => {
    const set = kit.setOf({ rollbackWindowMs: 0 });
    await set.swap([a("1.0.0")]);
    const old = set.current().instances.get("hook.a");
    await set.swap([a("2.0.0")]);
    await waitFor(() => old?.state === "stopped", "the old instance to stop");
    await expect(set.rollback()).rejects.toMatchObject({ code: "rollback_unavailable" });
  });
});

describe("rolling back", () => {
  it("switches back to the previous generation within the window, without loading", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    await set.swap([a("2.0.0")]);
    const newer = set.current().instances.get("hook.a");
    await expect(set.rollback()).resolves.toEqual({ generation: 1, restored: ["hook.a"] });
    expect(set.current().generation).toBe(1);
    await expect(versionFrom(set.current())).resolves.toBe("1.0.0");
    expect(sandboxes.made(a("1.0.0").key)).toBe(1);
    expect(set.health("hook.a")?.sandbox?.loads).toBe(1);
    await waitFor(() => newer?.state === "stopped", "the rolled-back instance to stop");
    await expect(set.rollback()).rejects.toThrow("there is no previous generation to roll back to");
  });

  it("refuses a rollback once the window has closed", async () => {
    const set = kit.setOf({ rollbackWindowMs: 40 });
    await set.swap([a("1.0.0")]);
    await set.swap([a("2.0.0")]);
    await pause(80);
    const refused = set.rollback();
    await expect(refused).rejects.toMatchObject({ code: "rollback_unavailable" });
    await expect(refused).rejects.toThrow(
      "the rollback window of 40 ms for generation 1 has closed; its instances were released",
    );
    await expect(versionFrom(set.current())).resolves.toBe("2.0.0");
  });

  it("refuses to roll back onto an instance that was stopped, and keeps the current set", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    const old = set.current().instances.get("hook.a");
    await set.swap([a("2.0.0")]);
    await old?.stop("stopped by hand");
    await expect(set.rollback()).rejects.toThrow(
      'generation 1 cannot come back: "hook.a" (stopped) no longer loaded',
    );
    await expect(versionFrom(set.current())).resolves.toBe("2.0.0");
  });

  it("reuses an instance of the previous generation when a swap names its key again", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    const first = set.current().instances.get("hook.a");
    await set.swap([a("2.0.0")]);
    await expect(set.swap([a("1.0.0")])).resolves.toMatchObject({ reused: ["hook.a"] });
    expect(set.current().instances.get("hook.a")).toBe(first);
    expect(sandboxes.made(a("1.0.0").key)).toBe(1);
  });

  it("runs a rollback queued behind a swap after it, in call order", async () => {
    const set = kit.setOf();
    await set.swap([a("1.0.0")]);
    const swapped = set.swap([a("2.0.0")]);
    const rolledBack = set.rollback();
    await expect(swapped).resolves.toMatchObject({ generation: 2 });
    await expect(rolledBack).resolves.toMatchObject({ generation: 1 });
    await expect(versionFrom(set.current())).resolves.toBe("1.0.0");
  });
});

describe("swapping under load", () => {
  it("answers every call from 20 concurrent callers through 10 swaps, each from a version current during the call", async () => {
    let stopped = 0;
    const set = kit.setOf({
      rollbackWindowMs: 20,
      onTransition: (event) => {
        if (event.to === "stopped") stopped += 1;
      },
    });
    const versions = new Map<number, string>();
    const first = await set.swap([a("1.0.0")]);
    versions.set(first.generation, "1.0.0");
    let swapping = true;
    const failures: unknown[] = [];
    let answers = 0;
    const caller = async () => {
      while (swapping) {
        const from = set.current().generation;
        const lease = set.acquire();
        try {
          const version = await versionFrom(lease);
          const to = set.current().generation;
          const possible = [...versions].filter(
            ([generation]) => generation >= from && generation <= to,
          );
          if (!possible.some(([, current]) => current === version)) {
            failures.push(`${version} was not current between generations ${from} and ${to}`);
          }
          answers += 1;
        } catch (error) {
          failures.push(error);
        } finally {
          lease.release();
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const callers = Array.from({ length: 20 }, caller);
    for (let minor = 1; minor <= 10; minor += 1) {
      const version = `1.${minor}.0`;
      const result = await set.swap([a(version)], {
        beforeSwitch: (next) => {
          versions.set(next.generation, version);
        },
      });
      expect(result.ok).toBe(true);
      await pause(10);
    }
    swapping = false;
    await Promise.all(callers);
    expect(failures).toEqual([]);
    expect(answers).toBeGreaterThan(100);
    await waitFor(() => stopped === 10, "every retired version to stop");
    expect(set.current().instances.get("hook.a")?.state).toBe("running");
  });
});
