import type { JsonValue } from "@plugboard/plugin-sdk";
import { createPluginContext, storedEntryBytes } from "@plugboard/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabasePluginStorage } from "../src/plugin-storage/database-plugin-storage.js";
import type { Database } from "../src/store/database.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { openServerDatabase } from "./server-database.js";
import { declarativeHook } from "./third-party-manifests.js";

describe("plugin storage in the control plane's database", () => {
  let server: RunningControlPlane;
  let database: Database;
  beforeAll(async () => {
    server = await startControlPlane("plugin-storage");
    database = openServerDatabase(server);
  });
  afterAll(async () => {
    await database.close();
    await server.stop();
  });
  const storage = () => createDatabasePluginStorage(database);

  it("keeps JSON values per plugin and key, overwriting on set", async () => {
    const store = storage();
    await store.set("hook.a", "cursor", { page: 1, seen: ["x"], done: false, note: null });
    await store.set("hook.a", "cursor", { page: 2 });
    await store.set("hook.b", "cursor", "other plugin");
    expect(await store.get("hook.a", "cursor")).toEqual({ page: 2 });
    expect(await store.get("hook.b", "cursor")).toBe("other plugin");
    expect(await store.get("hook.a", "missing")).toBeUndefined();
  });

  it("says whether a delete removed anything", async () => {
    const store = storage();
    await store.set("hook.a", "gone", 1);
    expect(await store.delete("hook.a", "gone")).toBe(true);
    expect(await store.delete("hook.a", "gone")).toBe(false);
    expect(await store.get("hook.a", "gone")).toBeUndefined();
  });

  it("lists keys by literal prefix in code-point order, up to the limit", async () => {
    const store = storage();
    for (const key of [
      "list:b",
      "list:a",
      "list:B",
      "list:%",
      "list:_x",
      "lisT:a",
      "list:😀",
      "other",
    ]) {
      await store.set("hook.list", key, key);
    }
    expect(await store.list("hook.list", "list:", 100)).toEqual([
      "list:%",
      "list:B",
      "list:_x",
      "list:a",
      "list:b",
      "list:😀",
    ]);
    expect(await store.list("hook.list", "list:", 2)).toEqual(["list:%", "list:B"]);
    expect(await store.list("hook.list", "list:_", 100)).toEqual(["list:_x"]);
    expect(await store.list("hook.list", "list:😀", 100)).toEqual(["list:😀"]);
    expect(await store.list("hook.list", "", 100)).toHaveLength(8);
    expect(await store.list("hook.other", "", 100)).toEqual([]);
  });

  it("backs a plugin's storage context, within its permissions", async () => {
    const manifest = {
      id: "hook.ctx",
      version: "1.0.0",
      permissions: ["storage:read", "storage:write"],
    };
    const context = createPluginContext({
      manifest,
      services: { log: () => undefined, storage: storage() },
    });
    await context.storage.set("greeting", { text: "hello" });
    expect(await context.storage.get("greeting")).toEqual({ text: "hello" });
    expect(await storage().get("hook.ctx", "greeting")).toEqual({ text: "hello" });
    const readOnly = createPluginContext({
      manifest: { ...manifest, permissions: ["storage:read"] },
      services: { log: () => undefined, storage: storage() },
    });
    await expect(readOnly.storage.set("greeting", "x")).rejects.toThrow(/storage:write/);
  });

  it("counts each key and its value's JSON in UTF-8 bytes, as the runtime does", async () => {
    const store = storage();
    const entries: Array<[string, JsonValue]> = [
      ["plain", { n: 1 }],
      ["ключ", "значение"],
      ["😀", ["ü", null, true]],
    ];
    for (const [key, value] of entries) await store.set("hook.usage", key, value);
    const bytes = entries.reduce(
      (sum, [key, value]) => sum + storedEntryBytes(key, JSON.stringify(value)),
      0,
    );
    expect(await store.usage("hook.usage")).toEqual({ keys: 3, bytes });
    expect(await store.usage("hook.nothing")).toEqual({ keys: 0, bytes: 0 });
  });

  it("refuses a write past the key or byte quota and writes nothing", async () => {
    const store = storage();
    const quota = { maxKeys: 2, maxBytes: 40 };
    expect(await store.set("hook.quota", "a", "x".repeat(10), quota)).toEqual({
      stored: true,
      usage: { keys: 1, bytes: 13 },
    });
    await store.set("hook.quota", "b", 1, quota);
    expect(await store.set("hook.quota", "c", 1, quota)).toEqual({
      stored: false,
      exceeded: "maxKeys",
      usage: { keys: 3, bytes: 17 },
    });
    expect(await store.set("hook.quota", "a", "ü".repeat(20), quota)).toEqual({
      stored: false,
      exceeded: "maxBytes",
      usage: { keys: 2, bytes: 45 },
    });
    expect(await store.get("hook.quota", "a")).toBe("x".repeat(10));
    expect(await store.list("hook.quota", "", 10)).toEqual(["a", "b"]);
    expect((await store.set("hook.quota", "a", "ü".repeat(17), quota)).stored).toBe(true);
  });

  it("keeps concurrent writes within the quota", async () => {
    // On PostgreSQL, two pools stand for two replicas; SQLite has one connection per process.
    const second = server.databaseUrl === undefined ? database : openServerDatabase(server);
    try {
      const stores = [storage(), createDatabasePluginStorage(second)];
      const quota = { maxKeys: 5, maxBytes: 1_000_000 };
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => stores[i % 2]?.set("hook.race", `key-${i}`, i, quota)),
      );
      expect(results.filter((result) => result?.stored === true)).toHaveLength(5);
      expect((await storage().usage("hook.race")).keys).toBe(5);
    } finally {
      if (second !== database) await second.close();
    }
  });

  it("fails a plugin's storage.set past its quota with limit_exceeded naming the limit", async () => {
    const context = createPluginContext({
      manifest: { id: "hook.capped", version: "1.0.0", permissions: ["storage:write"] },
      services: { log: () => undefined, storage: storage() },
      limits: { maxStorageKeys: 1 },
    });
    await context.storage.set("first", 1);
    await expect(context.storage.set("second", 2)).rejects.toMatchObject({
      code: "limit_exceeded",
      message:
        'storage.set: storing "second" would bring plugin "hook.capped" to 2 stored keys; the limit (maxStorageKeys) is 1',
    });
    expect(await storage().list("hook.capped", "", 10)).toEqual(["first"]);
  });

  it("survives a restart, and goes with the plugin when it is uninstalled", async () => {
    const id = "hook.stored-trace";
    const installed = await server.request("POST", "/v1/plugins", {
      body: { manifest: declarativeHook(id) },
    });
    expect(installed.status).toBe(201);
    await storage().set(id, "state", { runs: 3 });
    await server.restart();
    expect(await storage().get(id, "state")).toEqual({ runs: 3 });
    expect((await server.request("DELETE", `/v1/plugins/${id}`)).status).toBe(200);
    expect(await storage().list(id, "", 10)).toEqual([]);
  });
});
