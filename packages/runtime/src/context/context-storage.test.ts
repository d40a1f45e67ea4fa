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
});
