import type { JsonValue } from "@plugboard/plugin-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { undeclaredSecretMessage } from "../context/context-secrets.js";
import { EgressDeniedError } from "../egress/egress-errors.js";
import { createIsolateSandbox } from "./isolate-sandbox.js";
import type { Sandbox } from "./sandbox.js";
import {
  createFixtureHost,
  type FixtureHostOptions,
  type FixtureManifest,
  hookManifest,
  pluginSource,
  TEST_LIMITS,
} from "./testing/plugin-fixtures.js";

// Plugin code reaching the host through its context, across the isolate boundary.

const MANIFEST: FixtureManifest = {
  ...hookManifest(),
  permissions: [
    "storage:read",
    "storage:write",
    "event:publish:orders.*",
    "event:subscribe:orders.>",
    "data:read:contacts",
    "network:outbound:api.example.com",
  ],
  secretKeys: ["api_token"],
};

const open: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of open.splice(0)) sandbox.dispose();
});

function setUp(setupBody: string, options: Partial<FixtureHostOptions> = {}) {
  const manifest = options.manifest ?? MANIFEST;
  const host = createFixtureHost({ ...options, manifest });
  const sandbox = createIsolateSandbox({
    manifest,
    source: pluginSource(setupBody),
    context: host.context,
    limits: TEST_LIMITS,
  });
  open.push(sandbox);
  return { sandbox, host };
}

/** A plugin whose `run` tries each case and answers with what each one threw, or returned. */
function attempts(cases: Record<string, string>): string {
  const entries = Object.entries(cases)
    .map(
      ([name, expression]) =>
        `try { results[${JSON.stringify(name)}] = { value: await (async () => ${expression})() ?? null }; } catch (error) { results[${JSON.stringify(name)}] = { name: error.name, code: error.code ?? null, message: error.message }; }`,
    )
    .join("\n");
  return `return { async run() { const results = {}; ${entries}; return { action: "respond", status: 200, body: results }; } };`;
}

async function run(sandbox: Sandbox): Promise<Record<string, JsonValue>> {
  const result = await sandbox.call("run", [{}]);
  if (result === null || typeof result !== "object" || Array.isArray(result))
    throw new Error("no body");
  const body = result.body;
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new Error("no body");
  return body;
}

describe("the context inside the sandbox", () => {
  it("stores, lists and deletes the plugin's own keys", async () => {
    const { sandbox, host } = setUp(
      attempts({
        set: `ctx.storage.set("count:a", { n: 1 })`,
        get: `ctx.storage.get("count:a")`,
        missing: `ctx.storage.get("count:b")`,
        list: `ctx.storage.list("count:")`,
        deleted: `ctx.storage.delete("count:a")`,
      }),
    );
    await expect(run(sandbox)).resolves.toEqual({
      set: { value: null },
      get: { value: { n: 1 } },
      missing: { value: null },
      list: { value: ["count:a"] },
      deleted: { value: true },
    });
    await expect(host.services.storage?.list("other.plugin", "", 10)).resolves.toEqual([]);
  });

  it("refuses each call its permissions do not cover, naming the permission", async () => {
    const { sandbox } = setUp(
      attempts({
        publish: `ctx.events.publish("billing.paid", {})`,
        subscribe: `ctx.events.subscribe("billing.*", () => {})`,
        write: `ctx.data.put("contacts", { id: "c1" })`,
        read: `ctx.data.get("invoices", "i1")`,
        http: `ctx.http.request({ url: "https://evil.example/steal" })`,
        port: `ctx.http.request({ url: "https://api.example.com:8443/" })`,
        secret: `ctx.secrets.handle("db_password")`,
      }),
    );
    const body = await run(sandbox);
    const denied = (permission: string, operation: string) => ({
      name: "PluginContextError",
      code: "permission_denied",
      message: `${operation} needs the permission "${permission}", which plugin "hook.fixture" was not granted`,
    });
    expect(body).toEqual({
      publish: denied("event:publish:billing.paid", "events.publish"),
      subscribe: denied("event:subscribe:billing.*", "events.subscribe"),
      write: denied("data:write:contacts", "data.put"),
      read: denied("data:read:invoices", "data.get"),
      http: denied("network:outbound:evil.example", "http.request"),
      port: denied("network:outbound:api.example.com:8443", "http.request"),
      secret: {
        name: "PluginContextError",
        code: "permission_denied",
        message: undeclaredSecretMessage("db_password", ["api_token"]),
      },
    });
  });

  it("publishes within its grants and receives subscribed events in its handler", async () => {
    const { sandbox, host } = setUp(
      `const seen = [];
       let subscription;
       return { async run(request) {
         if (request.step === "subscribe") subscription = await ctx.events.subscribe("orders.>", (event) => { seen.push(event); });
         if (request.step === "publish") await ctx.events.publish("orders.created", { total: 3 });
         if (request.step === "unsubscribe") await subscription.unsubscribe();
         return { action: "respond", status: 200, body: seen };
       } };`,
    );
    await sandbox.call("run", [{ step: "subscribe" }]);
    await sandbox.call("run", [{ step: "publish" }]);
    await host.bus.idle();
    const seen = await sandbox.call("run", [{ step: "read" }]);
    expect(seen).toMatchObject({
      body: [{ subject: "orders.created", source: "hook.fixture", data: { total: 3 } }],
    });
    await sandbox.call("run", [{ step: "unsubscribe" }]);
    await host.bus.publish({
      id: "e2",
      type: "orders.shipped",
      version: 1,
      time: new Date().toISOString(),
      source: "host",
      correlationId: "e2",
      data: null,
    });
    await host.bus.idle();
    expect(await sandbox.call("run", [{ step: "read" }])).toMatchObject({ body: [{}] });
    // Five calls of run and one event delivery.
    expect(sandbox.health().calls).toBe(6);
  });

  it("puts the secret into the outbound request and cuts it out of what comes back", async () => {
    const { sandbox, host } = setUp(
      `return { async run() {
         const response = await ctx.http.request({
           method: "POST",
           url: "https://api.example.com/v1/echo",
           secretHeaders: { authorization: ctx.secrets.handle("api_token") },
           body: { hello: "world" },
         });
         ctx.logger.info("echoed", { body: response.body });
         return { action: "respond", status: response.status, body: response.json() };
       } };`,
      { secrets: { api_token: "tok-2f9c1e" } },
    );
    const result = await sandbox.call("run", [{}]);
    expect(host.egressRequests[0]).toMatchObject({
      method: "POST",
      url: "https://api.example.com/v1/echo",
      headers: { authorization: "tok-2f9c1e", "content-type": "application/json" },
      body: '{"hello":"world"}',
    });
    expect(JSON.stringify(result)).not.toContain("tok-2f9c1e");
    expect(result).toMatchObject({ body: { echoed: { authorization: "[REDACTED]" } } });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(JSON.stringify(host.logs)).not.toContain("tok-2f9c1e");
  });

  it("passes the egress guard's refusal to the plugin as egress_denied", async () => {
    const { sandbox } = setUp(
      attempts({ http: `ctx.http.request({ url: "https://api.example.com/" })` }),
      {
        egress: async () => {
          throw new EgressDeniedError(
            "forbidden_address",
            "api.example.com",
            "api.example.com resolves to 127.0.0.1, a loopback address",
            "127.0.0.1",
          );
        },
      },
    );
    await expect(run(sandbox)).resolves.toEqual({
      http: {
        name: "PluginContextError",
        code: "egress_denied",
        message:
          "http.request: api.example.com resolves to 127.0.0.1, a loopback address (forbidden_address)",
      },
    });
  });

  it("hides a host failure's text from the plugin and tells the host", async () => {
    const manifest = MANIFEST;
    const host = createFixtureHost({ manifest });
    const reported: string[] = [];
    const storage = host.services.storage;
    if (storage === undefined) throw new Error("fixture has storage");
    storage.get = async () => {
      throw new Error("SQLITE_CORRUPT: /var/lib/plugboard/data.db");
    };
    const sandbox = createIsolateSandbox({
      manifest,
      source: pluginSource(attempts({ get: `ctx.storage.get("k")` })),
      context: host.context,
      limits: TEST_LIMITS,
      onContextError: (error, method) => reported.push(`${method}: ${String(error)}`),
    });
    open.push(sandbox);
    await expect(run(sandbox)).resolves.toEqual({
      get: {
        name: "PluginContextError",
        code: "host_failed",
        message: "storage.get failed in the host",
      },
    });
    expect(reported).toEqual(["storage.get: Error: SQLITE_CORRUPT: /var/lib/plugboard/data.db"]);
  });

  it("logs tagged with the plugin, through ctx.logger and console alike", async () => {
    const { sandbox, host } = setUp(
      `return { run() {
         ctx.logger.warn("slow upstream", { ms: 812, token: "abc123" });
         console.log("debugging", { step: 2 }, 3);
         return { action: "passthrough" };
       } };`,
    );
    await sandbox.call("run", [{}]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(host.logs).toMatchObject([
      {
        level: "warn",
        pluginId: "hook.fixture",
        message: "slow upstream",
        data: { ms: 812, token: "[REDACTED]" },
      },
      { level: "info", pluginId: "hook.fixture", message: 'debugging {"step":2} 3' },
    ]);
  });

  it("drops log lines over the per-second limit, saying so once", async () => {
    const { sandbox, host } = setUp(
      `return { run() { for (let i = 0; i < 1000; i++) ctx.logger.info("line " + i); return { action: "passthrough" }; } };`,
    );
    await sandbox.call("run", [{}]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(host.logs).toHaveLength(201);
    expect(host.logs[200]).toMatchObject({
      level: "warn",
      message: "log lines beyond 200 a second, or 1048576 characters a second, are dropped",
    });
  });
});

describe("context calls with hostile arguments", () => {
  it("rejects each one cleanly inside the isolate, and the host keeps serving", async () => {
    const { sandbox, host } = setUp(
      attempts({
        throwingGetter: `ctx.storage.set("k", { get boom() { throw new Error("getter"); } })`,
        proxy: `ctx.storage.set("k", new Proxy({}, { ownKeys() { throw new Error("trap"); } }))`,
        revokedProxy: `(() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return ctx.storage.set("k", proxy); })()`,
        cyclic: `(() => { const a = []; a.push(a); return ctx.storage.set("k", a); })()`,
        bigint: `ctx.storage.set("k", 1n)`,
        hugeString: `ctx.storage.set("k", "x".repeat(8 * 1024 * 1024))`,
        hugeKey: `ctx.storage.get("k".repeat(4096))`,
        nested: `(() => { let v = []; for (let i = 0; i < 200; i++) v = [v]; return ctx.storage.set("k", v); })()`,
        protoKey: `ctx.storage.set("k", JSON.parse('{"__proto__": {"polluted": true}}'))`,
        numberKey: `ctx.storage.get(42)`,
        symbolKey: `ctx.storage.get(Symbol("k"))`,
        missingValue: `ctx.storage.set("k")`,
        notAnEntity: `ctx.data.get("Contacts; DROP TABLE", "1")`,
        handlerNotFunction: `ctx.events.subscribe("orders.created", "not a function")`,
        urlNotString: `ctx.http.request({ url: { toString() { return "https://api.example.com/" } } })`,
        unknownField: `ctx.http.request({ url: "https://api.example.com/", agent: "x" })`,
        notAUrl: `ctx.http.request({ url: "not a url" })`,
        logNotString: `ctx.logger.info({ message: "x" })`,
        secretNotString: `ctx.secrets.handle({ key: "api_token" })`,
      }),
    );
    const body = await run(sandbox);
    const code = (name: string) => {
      const entry = body[name];
      return entry !== null && typeof entry === "object" && !Array.isArray(entry)
        ? entry.code
        : "?";
    };
    expect(Object.fromEntries(Object.keys(body).map((name) => [name, code(name)]))).toEqual({
      throwingGetter: "invalid_argument",
      proxy: "invalid_argument",
      revokedProxy: "invalid_argument",
      cyclic: "invalid_argument",
      bigint: "invalid_argument",
      hugeString: "limit_exceeded",
      hugeKey: "limit_exceeded",
      nested: "invalid_argument",
      protoKey: "invalid_argument",
      numberKey: "invalid_argument",
      symbolKey: "invalid_argument",
      missingValue: "invalid_argument",
      notAnEntity: "invalid_argument",
      handlerNotFunction: null,
      urlNotString: "invalid_argument",
      unknownField: "invalid_argument",
      notAUrl: "invalid_argument",
      logNotString: null,
      secretNotString: "permission_denied",
    });
    expect(body.handlerNotFunction).toMatchObject({
      name: "TypeError",
      message: "events.subscribe: the handler must be a function",
    });
    expect(body.cyclic).toMatchObject({
      message: expect.stringContaining("storage.set: arguments must be JSON values"),
    });
    expect(body.nested).toMatchObject({
      message: "storage.set: the value nests deeper than 64 levels",
    });
    expect(body.missingValue).toMatchObject({ message: "storage.set: argument 2 is missing" });
    await expect(host.services.storage?.list("hook.fixture", "", 10)).resolves.toEqual([]);
    expect(sandbox.health()).toMatchObject({ healthy: true, errors: 0 });
  });

  it("caps the context calls waiting at once", async () => {
    const { sandbox } = setUp(
      `return { async run() {
         const calls = [];
         for (let i = 0; i < 100; i++) calls.push(ctx.storage.get("k" + i).then(() => "ok", (error) => error.code));
         const outcomes = await Promise.all(calls);
         return { action: "respond", status: 200, body: { ok: outcomes.filter((o) => o === "ok").length, refused: outcomes.filter((o) => o === "limit_exceeded").length } };
       } };`,
    );
    await expect(sandbox.call("run", [{}])).resolves.toMatchObject({
      body: { ok: 64, refused: 36 },
    });
  });
});
