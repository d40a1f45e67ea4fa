import { afterEach, describe, expect, it } from "vitest";
import type { Sandbox } from "./sandbox.js";
import {
  createFixtureHost,
  fixtureSandbox,
  hookManifest,
  pluginSource,
} from "./testing/plugin-fixtures.js";

const manifest = hookManifest({
  permissions: [
    "storage:read",
    "storage:write",
    "event:publish:probe.*",
    "event:subscribe:probe.*",
    "data:read:contact",
    "data:write:contact",
    "network:outbound:api.example.com",
  ],
});

// Each context call the plugin tries, named, with what came of it: "ok" or the error's code.
const ATTEMPTS = `
  const attempt = async (name, call) => { try { await call(); return [name, "ok"]; } catch (error) { return [name, error.code ?? error.name]; } };
  const tries = async () => Object.fromEntries(await Promise.all([
    attempt("storage.get", () => ctx.storage.get("k")),
    attempt("storage.list", () => ctx.storage.list()),
    attempt("storage.set", () => ctx.storage.set("k", 1)),
    attempt("storage.delete", () => ctx.storage.delete("k")),
    attempt("data.get", () => ctx.data.get("contact", "c1")),
    attempt("data.put", () => ctx.data.put("contact", { id: "c1" })),
    attempt("events.publish", () => ctx.events.publish("probe.ping", {})),
    attempt("events.subscribe", () => ctx.events.subscribe("probe.*", () => {})),
    attempt("http GET", () => ctx.http.request({ url: "https://api.example.com/status" })),
    attempt("http POST", () => ctx.http.request({ method: "POST", url: "https://api.example.com/send", body: {} })),
    attempt("logger", () => ctx.logger.info("probing")),
  ]));
`;

const SOURCE = pluginSource(
  `${ATTEMPTS} return { run: async () => ({ action: "respond", status: 200, body: await tries() }) };`,
);

describe("read-only calls", () => {
  const sandboxes: Sandbox[] = [];
  afterEach(() => {
    for (const sandbox of sandboxes.splice(0)) sandbox.dispose();
  });

  it("let a read-only call read, send GET requests and log, and refuse everything that changes something", async () => {
    const host = createFixtureHost({ manifest });
    const { sandbox } = fixtureSandbox(SOURCE, { manifest, host });
    sandboxes.push(sandbox);
    const result = await sandbox.call("run", [{}], { readOnly: true, checkResult: false });
    expect(result).toMatchObject({
      body: {
        "storage.get": "ok",
        "storage.list": "ok",
        "storage.set": "permission_denied",
        "storage.delete": "permission_denied",
        "data.get": "ok",
        "data.put": "permission_denied",
        "events.publish": "permission_denied",
        "events.subscribe": "permission_denied",
        "http GET": "ok",
        "http POST": "permission_denied",
        logger: "ok",
      },
    });
    expect(host.egressRequests.map((request) => request.method)).toEqual(["GET"]);
    expect(await host.services.storage?.get(manifest.id, "k")).toBeUndefined();
    expect(host.logs.map((record) => record.message)).toContain("probing");
  });

  it("lets the same plugin change things in a call that is not read-only", async () => {
    const host = createFixtureHost({ manifest });
    const { sandbox } = fixtureSandbox(SOURCE, { manifest, host });
    sandboxes.push(sandbox);
    await sandbox.call("run", [{}], { readOnly: true, checkResult: false });
    const result = await sandbox.call("run", [{}], { checkResult: false });
    expect(Object.values((result as { body: Record<string, string> }).body)).toEqual(
      Array.from({ length: 11 }, () => "ok"),
    );
    expect(host.egressRequests.map((request) => request.method)).toContain("POST");
  });
});
