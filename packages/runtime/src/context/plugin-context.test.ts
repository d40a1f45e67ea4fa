import type { PluginEvent } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { EgressError } from "../egress/egress-errors.js";
import type { EgressRequest, EgressResponse } from "../egress/egress-request.js";
import { ContextError, type ContextErrorCode } from "./context-errors.js";
import type { ContextServices, PluginLogRecord } from "./context-services.js";
import { createInMemoryData } from "./in-memory-data.js";
import { createInMemoryEventBus } from "./in-memory-event-bus.js";
import { createInMemoryStorage } from "./in-memory-storage.js";
import { type ContextManifest, createPluginContext } from "./plugin-context.js";

const MANIFEST: ContextManifest = {
  id: "connector.crm",
  version: "2.1.0",
  permissions: [
    "storage:read",
    "storage:write",
    "event:publish:crm.*",
    "event:subscribe:crm.>",
    "data:read:contacts",
    "data:write:contacts",
    "network:outbound:api.crm.example",
  ],
  secretKeys: ["crm_token"],
};

function setUp(
  overrides: {
    manifest?: ContextManifest;
    granted?: readonly string[];
    services?: {
      readonly [K in Exclude<keyof ContextServices, "log">]?: ContextServices[K] | undefined;
    } & { readonly log?: ContextServices["log"] };
    egress?: (request: EgressRequest) => Promise<EgressResponse>;
  } = {},
) {
  const logs: PluginLogRecord[] = [];
  const sent: EgressRequest[] = [];
  const bus = createInMemoryEventBus();
  const services: ContextServices = {
    log: (record) => logs.push(record),
    events: bus,
    storage: createInMemoryStorage(),
    data: createInMemoryData(),
    secrets: {
      resolve: async (_pluginId, key) => (key === "crm_token" ? "crm-secret-77" : undefined),
    },
    knownSecretValues: () => ["smtp-password-1"],
    egress: async (request) => {
      sent.push(request);
      if (overrides.egress !== undefined) return overrides.egress(request);
      return {
        status: 201,
        headers: { "x-echo": String(request.headers?.authorization) },
        body: new TextEncoder().encode(`{"token":"${request.headers?.authorization}"}`),
        url: request.url,
        address: "203.0.113.5",
      };
    },
    ...overrides.services,
  };
  const context = createPluginContext({
    manifest: overrides.manifest ?? MANIFEST,
    ...(overrides.granted === undefined ? {} : { granted: overrides.granted }),
    config: { region: "eu", fields: ["name", "email"] },
    services,
  });
  return { context, logs, sent, bus };
}

async function refusal(work: () => unknown): Promise<{ code: ContextErrorCode; message: string }> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ContextError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a ContextError");
}

describe("permissions", () => {
  it("refuses every member its grants do not cover, naming the permission", async () => {
    const { context } = setUp({ granted: [] });
    const denied = (permission: string, operation: string) => ({
      code: "permission_denied",
      message: `${operation} needs the permission "${permission}", which plugin "connector.crm" was not granted`,
    });
    expect(await refusal(() => context.storage.get("k"))).toEqual(
      denied("storage:read", "storage.get"),
    );
    expect(await refusal(() => context.storage.set("k", 1))).toEqual(
      denied("storage:write", "storage.set"),
    );
    expect(await refusal(() => context.storage.delete("k"))).toEqual(
      denied("storage:write", "storage.delete"),
    );
    expect(await refusal(() => context.storage.list())).toEqual(
      denied("storage:read", "storage.list"),
    );
    expect(await refusal(() => context.data.query("contacts"))).toEqual(
      denied("data:read:contacts", "data.query"),
    );
    expect(await refusal(() => context.data.put("contacts", { id: "1" }))).toEqual(
      denied("data:write:contacts", "data.put"),
    );
    expect(await refusal(() => context.events.publish("crm.synced", {}))).toEqual(
      denied("event:publish:crm.synced", "events.publish"),
    );
    expect(await refusal(() => context.events.subscribe("crm.*", () => {}))).toEqual(
      denied("event:subscribe:crm.*", "events.subscribe"),
    );
    expect(
      await refusal(() => context.http.request({ url: "https://api.crm.example/v1" })),
    ).toEqual(denied("network:outbound:api.crm.example", "http.request"));
  });

  it("never grants a permission the manifest did not ask for", async () => {
    const { context } = setUp({ granted: ["storage:read", "data:read:invoices"] });
    await expect(context.storage.get("k")).resolves.toBeUndefined();
    expect((await refusal(() => context.data.get("invoices", "1"))).code).toBe("permission_denied");
  });

  it("reads grants with the SDK's grammar: wildcards, ports and a trailing dot", async () => {
    const { context, sent } = setUp();
    await expect(context.events.publish("crm.contact", {})).resolves.toBeUndefined();
    expect((await refusal(() => context.events.publish("crm.contact.created", {}))).code).toBe(
      "permission_denied",
    );
    await expect(
      context.http.request({ url: "https://API.CRM.example./v1" }),
    ).resolves.toMatchObject({
      status: 201,
    });
    expect(sent).toHaveLength(1);
    expect(
      (await refusal(() => context.http.request({ url: "https://api.crm.example:444/" }))).message,
    ).toContain('"network:outbound:api.crm.example:444"');
    expect(
      (await refusal(() => context.http.request({ url: "https://api.crm.example@evil.example/" })))
        .message,
    ).toContain('"network:outbound:evil.example"');
  });

  it("fails as unavailable when the host provides no such service", async () => {
    const { context } = setUp({ services: { data: undefined } });
    expect(await refusal(() => context.data.get("contacts", "1"))).toEqual({
      code: "unavailable",
      message: "data.get: this host provides no data service",
    });
  });
});

describe("storage and data", () => {
  it("keeps each plugin's keys apart on one backend", async () => {
    const storage = createInMemoryStorage();
    const first = setUp({ services: { storage } }).context;
    const second = setUp({
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
    const { context } = setUp();
    const value = { seen: ["a"] };
    await context.storage.set("state", value);
    value.seen.push("b");
    await expect(context.storage.get("state")).resolves.toEqual({ seen: ["a"] });
  });

  it("queries records of a granted entity type by field", async () => {
    const { context } = setUp();
    await context.data.put("contacts", { id: "c1", tier: "gold" });
    await context.data.put("contacts", { id: "c2", tier: "silver" });
    await expect(context.data.query("contacts", { tier: "gold" })).resolves.toEqual([
      { id: "c1", tier: "gold" },
    ]);
    await expect(context.data.get("contacts", "c2")).resolves.toEqual({ id: "c2", tier: "silver" });
    await expect(context.data.get("contacts", "c3")).resolves.toBeNull();
  });

  it("refuses values over the size caps and malformed records", async () => {
    const { context } = setUp();
    expect((await refusal(() => context.storage.set("k", "x".repeat(300 * 1024)))).code).toBe(
      "limit_exceeded",
    );
    expect((await refusal(() => context.storage.get("k".repeat(600)))).code).toBe("limit_exceeded");
    expect((await refusal(() => context.storage.get(""))).message).toBe(
      "storage.get: the key must not be empty",
    );
    // @ts-expect-error: a record needs an id.
    expect((await refusal(() => context.data.put("contacts", { name: "x" }))).message).toBe(
      "data.put: the record must have a non-empty string id",
    );
    expect((await refusal(() => context.data.get("Contacts", "1"))).code).toBe("invalid_argument");
  });

  it("refuses hostile values from an in-process plugin as invalid_argument", async () => {
    const { context } = setUp();
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

describe("events", () => {
  it("publishes events with the plugin as source and delivers copies to subscribers", async () => {
    const { context, bus } = setUp();
    const received: PluginEvent[] = [];
    const subscription = await context.events.subscribe("crm.>", (event) => {
      received.push(event);
    });
    const data = { id: "c1" };
    await context.events.publish("crm.contact", data);
    data.id = "changed";
    await bus.idle();
    expect(received).toMatchObject([
      { subject: "crm.contact", source: "connector.crm", data: { id: "c1" } },
    ]);
    await subscription.unsubscribe();
    await subscription.unsubscribe();
    await context.events.publish("crm.contact", {});
    expect(received).toHaveLength(1);
  });

  it("refuses wildcard subjects to publish on and malformed patterns", async () => {
    const { context } = setUp();
    expect((await refusal(() => context.events.publish("crm.*", {}))).code).toBe(
      "invalid_argument",
    );
    expect((await refusal(() => context.events.subscribe("crm..x", () => {}))).code).toBe(
      "invalid_argument",
    );
  });

  it("caps how many subscriptions a plugin holds", async () => {
    const { context } = setUp();
    for (let i = 0; i < 64; i++) await context.events.subscribe("crm.*", () => {});
    expect(await refusal(() => context.events.subscribe("crm.*", () => {}))).toEqual({
      code: "limit_exceeded",
      message: 'events.subscribe: plugin "connector.crm" already holds 64 subscriptions',
    });
  });
});

describe("http and secrets", () => {
  it("injects a secret by handle and cuts its value out of the response", async () => {
    const { context, sent } = setUp();
    const response = await context.http.request({
      method: "POST",
      url: "https://api.crm.example/v1/contacts",
      headers: { "X-Trace": "t1" },
      secretHeaders: { Authorization: context.secrets.handle("crm_token") },
      body: { name: "Ada" },
    });
    expect(sent[0]).toEqual({
      method: "POST",
      url: "https://api.crm.example/v1/contacts",
      headers: {
        "x-trace": "t1",
        authorization: "crm-secret-77",
        "content-type": "application/json",
      },
      body: '{"name":"Ada"}',
    });
    expect(response.body).toBe('{"token":"[REDACTED]"}');
    expect(response.headers).toEqual({ "x-echo": "[REDACTED]" });
    expect(response.json()).toEqual({ token: "[REDACTED]" });
  });

  it("puts a handle's prefix before the secret it injects, and refuses a prefix that could break the header", async () => {
    const { context, sent } = setUp();
    await context.http.request({
      url: "https://api.crm.example/v1/me",
      secretHeaders: {
        authorization: { ...context.secrets.handle("crm_token"), prefix: "Bearer " },
      },
    });
    expect(sent[0]?.headers).toMatchObject({ authorization: "Bearer crm-secret-77" });
    const broken = await refusal(() =>
      context.http.request({
        url: "https://api.crm.example/v1/me",
        secretHeaders: {
          authorization: { ...context.secrets.handle("crm_token"), prefix: "Bearer\r\nX-Evil: 1 " },
        },
      }),
    );
    expect(broken.code).toBe("invalid_argument");
    expect(broken.message).toContain("secretHeaders.authorization.prefix");
  });

  it("refuses undeclared secrets, unset secrets and a header given twice", async () => {
    const { context } = setUp();
    expect(await refusal(() => context.secrets.handle("db_password"))).toEqual({
      code: "permission_denied",
      message: `secrets.handle: "db_password" is not one of the manifest's secretKeys (crm_token)`,
    });
    const forged = { kind: "secret_handle", key: "db_password" } as const;
    expect(
      (
        await refusal(() =>
          context.http.request({ url: "https://api.crm.example/", secretHeaders: { a: forged } }),
        )
      ).code,
    ).toBe("permission_denied");
    const unset = setUp({ services: { secrets: { resolve: async () => undefined } } }).context;
    expect(
      await refusal(() =>
        unset.http.request({
          url: "https://api.crm.example/",
          secretHeaders: { authorization: unset.secrets.handle("crm_token") },
        }),
      ),
    ).toEqual({
      code: "unavailable",
      message: 'http.request: secret "crm_token" has no value set',
    });
    expect(
      (
        await refusal(() =>
          context.http.request({
            url: "https://api.crm.example/",
            headers: { authorization: "x" },
            secretHeaders: { Authorization: context.secrets.handle("crm_token") },
          }),
        )
      ).code,
    ).toBe("invalid_argument");
  });

  it("reports the egress guard's failures and hides the host's own", async () => {
    const failing = setUp({
      egress: async () => {
        throw new EgressError(
          "timeout",
          "api.crm.example",
          "the request to api.crm.example took longer than 50 ms",
        );
      },
    }).context;
    expect(await refusal(() => failing.http.request({ url: "https://api.crm.example/" }))).toEqual({
      code: "egress_failed",
      message: "http.request: the request to api.crm.example took longer than 50 ms (timeout)",
    });
    const broken = setUp({
      egress: async () => {
        throw new Error("ECONNRESET 10.0.0.7:443");
      },
    }).context;
    expect(await refusal(() => broken.http.request({ url: "https://api.crm.example/" }))).toEqual({
      code: "host_failed",
      message: "http.request failed in the host",
    });
  });
});

describe("logger", () => {
  it("tags lines with the plugin and redacts secret values and secret-named fields", async () => {
    const { context, logs } = setUp();
    await context.http.request({
      url: "https://api.crm.example/",
      secretHeaders: { authorization: context.secrets.handle("crm_token") },
    });
    context.logger.error("login with crm-secret-77 failed", {
      smtp: "smtp-password-1",
      apiKey: "k-1",
      nested: { password: "p", note: "uses crm-secret-77" },
    });
    expect(logs).toEqual([
      {
        level: "error",
        pluginId: "connector.crm",
        pluginVersion: "2.1.0",
        message: "login with [REDACTED] failed",
        data: {
          smtp: "[REDACTED]",
          apiKey: "[REDACTED]",
          nested: { password: "[REDACTED]", note: "uses [REDACTED]" },
        },
        time: expect.any(String),
      },
    ]);
  });

  it("cuts long messages, replaces oversized data, and survives a failing sink", () => {
    const { context, logs } = setUp();
    context.logger.info("m".repeat(5_000), { blob: "b".repeat(20_000) });
    expect(logs[0]?.message).toHaveLength(4_097);
    expect(logs[0]?.data).toEqual({
      truncated: "the data was longer than 16384 characters of JSON",
    });
    const throwing = setUp({
      services: {
        log: () => {
          throw new Error("sink down");
        },
      },
    }).context;
    expect(() => throwing.logger.warn("still fine")).not.toThrow();
    // @ts-expect-error: messages are strings.
    expect(() => context.logger.info(42)).toThrow(
      "logger.info: the message must be a string, got a number",
    );
  });
});

describe("plugin and config", () => {
  it("exposes the plugin's id and version and a frozen copy of its config", () => {
    const config = { region: "eu", fields: ["name"] };
    const context = createPluginContext({
      manifest: MANIFEST,
      config,
      services: { log: () => {} },
    });
    config.fields.push("email");
    expect(context.plugin).toEqual({ id: "connector.crm", version: "2.1.0" });
    expect(context.config).toEqual({ region: "eu", fields: ["name"] });
    expect(Object.isFrozen(context.config)).toBe(true);
    expect(Object.isFrozen(context.config.fields)).toBe(true);
  });
});
