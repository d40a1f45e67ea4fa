import { describe, expect, it } from "vitest";
import { createInMemoryStorage } from "./in-memory-storage.js";
import { contextFixture, MANIFEST, refusal } from "./testing/context-fixture.js";

describe("storage", () => {
  it("keeps each plugin's keys apart on one backend", async () => {
    const storage = createInMemoryStorage();
    const first = contextFixture({ services: { storage } }).context;
    const second = contextFixture({
      services: { storage },
      manifest: { ...MANIFEST, id: "connector.erp" },
    }).context;
    await first.storage.set("cursor", "a");
    await second.storage.set("cursor", "b");
    await expect(first.storage.get("cursor")).resolves.toBe("a");
    await expect(second.storage.list()).resolves.toEqual(["cursor"]);
    await expect(second.storage.get("cursor")).resolves.toBe("b");
  });

  it("stores a copy, so later changes to the plugin's object do not leak in", async () => {
    const { context } = contextFixture();
    const value = { seen: ["a"] };
    await context.storage.set("state", value);
    value.seen.push("b");
    await expect(context.storage.get("state")).resolves.toEqual({ seen: ["a"] });
  });

  it("refuses values and keys over the size caps", async () => {
    const { context } = contextFixture();
    expect((await refusal(() => context.storage.set("k", "x".repeat(300 * 1024)))).code).toBe(
      "limit_exceeded",
    );
    expect((await refusal(() => context.storage.get("k".repeat(600)))).code).toBe("limit_exceeded");
    expect((await refusal(() => context.storage.get(""))).message).toBe(
      "storage.get: the key must not be empty",
    );
  });

  it("refuses hostile values from an in-process plugin as invalid_argument", async () => {
    const { context } = contextFixture();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const hostile: unknown[] = [
      cyclic,
      {
        get boom() {
          throw new Error("getter");
        },
      },
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error("trap");
          },
        },
      ),
      10n,
      () => 1,
    ];
    for (const value of hostile) {
      // @ts-expect-error: the values are what an untyped plugin might pass.
      expect((await refusal(() => context.storage.set("k", value))).code).toBe("invalid_argument");
    }
    // @ts-expect-error: keys are strings.
    expect((await refusal(() => context.storage.get(7))).message).toBe(
      "storage.get: the key must be a string, got a number",
    );
  });

  it("refuses a new key past maxStorageKeys, naming the limit, and stores nothing", async () => {
    const { context } = contextFixture({ limits: { maxStorageKeys: 2 } });
    await context.storage.set("a", 1);
    await context.storage.set("b", 2);
    expect(await refusal(() => context.storage.set("c", 3))).toEqual({
      code: "limit_exceeded",
      message:
        'storage.set: storing "c" would bring plugin "connector.crm" to 3 stored keys; the limit (maxStorageKeys) is 2',
    });
    await expect(context.storage.list()).resolves.toEqual(["a", "b"]);
    await context.storage.set("b", "overwritten");
    await context.storage.delete("a");
    await context.storage.set("c", 3);
    await expect(context.storage.list()).resolves.toEqual(["b", "c"]);
  });

  it("counts a key and its value's JSON in UTF-8 bytes against maxStorageBytes", async () => {
    // "ü" is two bytes; "k1" + '"üü"' is 2 + 6 = 8 bytes.
    const { context } = contextFixture({ limits: { maxStorageBytes: 16 } });
    await context.storage.set("k1", "üü");
    await context.storage.set("k2", "üü");
    expect(await refusal(() => context.storage.set("k3", 1))).toEqual({
      code: "limit_exceeded",
      message:
        'storage.set: storing "k3" would bring plugin "connector.crm" to 19 stored bytes; the limit (maxStorageBytes) is 16',
    });
    expect((await refusal(() => context.storage.set("k2", "üüü"))).code).toBe("limit_exceeded");
    await expect(context.storage.get("k2")).resolves.toBe("üü");
    await context.storage.set("k2", "a");
    await context.storage.set("k3", 1);
  });

  it("lets a plugin over a lowered quota shrink what it stores", async () => {
    const storage = createInMemoryStorage();
    await contextFixture({ services: { storage } }).context.storage.set("big", "x".repeat(100));
    const lowered = contextFixture({ services: { storage }, limits: { maxStorageBytes: 50 } });
    expect((await refusal(() => lowered.context.storage.set("big", "x".repeat(101)))).code).toBe(
      "limit_exceeded",
    );
    await lowered.context.storage.set("big", "x".repeat(60));
    await expect(storage.usage("connector.crm")).resolves.toEqual({ keys: 1, bytes: 65 });
  });

  it("keeps concurrent writes within the caps", async () => {
    const storage = createInMemoryStorage();
    const { context } = contextFixture({ services: { storage }, limits: { maxStorageKeys: 5 } });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => context.storage.set(`key-${i}`, i)),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(5);
    await expect(storage.usage("connector.crm")).resolves.toMatchObject({ keys: 5 });
  });
});
