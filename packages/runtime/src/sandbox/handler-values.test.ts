import { afterEach, describe, expect, it } from "vitest";
import { PluginCodeError } from "./isolate-reply.js";
import type { Sandbox } from "./sandbox.js";
import { SandboxError } from "./sandbox-errors.js";
import {
  type FixtureManifest,
  fixtureSandbox,
  PASSTHROUGH_HOOK,
  pluginSource,
} from "./testing/plugin-fixtures.js";

// What crosses into and out of a handler call: arguments within the size cap, results of the
// shape the SDK declares, and failures a host can tell apart.

const open: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of open.splice(0)) sandbox.dispose();
});

function sandboxFor(
  source: string,
  options: Parameters<typeof fixtureSandbox>[1] = {},
): ReturnType<typeof fixtureSandbox> {
  const created = fixtureSandbox(source, options);
  open.push(created.sandbox);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof SandboxError)) throw new Error(`expected a SandboxError, got ${error}`);
  return error;
}

const REQUEST = {
  ring: "pre_flight",
  method: "GET",
  path: "/orders",
  headers: {},
  body: null,
  metadata: {},
};

describe("values crossing a handler call", () => {
  it("attaches what the plugin threw only to plugin_error, not to a bad or too large result", async () => {
    const { sandbox } = sandboxFor(
      pluginSource(
        `return { run(request) {
          if (request.path === "/throw") throw Object.assign(new Error("refused"), { code: "nope" });
          if (request.path === "/bad") return { action: "respond", status: 200, body: () => 1 };
          return { action: "respond", status: 200, body: "x".repeat(2 * 1024 * 1024) };
        } };`,
      ),
      { limits: { memoryLimitMb: 64 } },
    );
    const thrown = await failure(sandbox.call("run", [{ ...REQUEST, path: "/throw" }]));
    expect(thrown.code).toBe("plugin_error");
    expect(thrown.cause).toBeInstanceOf(PluginCodeError);
    expect(thrown.cause).toMatchObject({ message: "refused", code: "nope" });
    const bad = await failure(sandbox.call("run", [{ ...REQUEST, path: "/bad" }]));
    expect([bad.code, bad.cause]).toEqual(["bad_return", undefined]);
    const large = await failure(sandbox.call("run", [{ ...REQUEST, path: "/large" }]));
    expect([large.code, large.cause]).toEqual(["return_too_large", undefined]);
  });

  it("checks an action executor's outcome against the SDK's schema, naming the field", async () => {
    const manifest: FixtureManifest = {
      id: "action.test-send",
      version: "1.0.0",
      kind: "action_executor",
    };
    const { sandbox } = sandboxFor(
      pluginSource(
        `return { execute(request) {
          return request.payload === "ok" ? { status: "succeeded", detail: { sent: 1 } } : { status: "failed", retryable: "maybe", message: "x" };
        } };`,
        { id: manifest.id },
      ),
      { manifest },
    );
    const request = {
      id: "a1",
      idempotencyKey: "k1",
      actionKind: "send",
      destinationProvider: "p",
      payload: "ok",
    };
    await expect(sandbox.call("execute", [request])).resolves.toEqual({
      status: "succeeded",
      detail: { sent: 1 },
    });
    const error = await failure(sandbox.call("execute", [{ ...request, payload: "bad" }]));
    expect(error.code).toBe("bad_return");
    expect(error.message).toContain("execute returned an invalid result");
    expect(sandbox.health()).toMatchObject({ healthy: true, state: "ready" });
  });

  it("refuses arguments longer than maxJsonLength with bad_argument, before the plugin runs", async () => {
    const { sandbox } = sandboxFor(PASSTHROUGH_HOOK, { limits: { maxJsonLength: 4_096 } });
    const args = [{ ...REQUEST, body: "x".repeat(5_000) }];
    const error = await failure(sandbox.call("run", args));
    expect([error.code, error.message]).toEqual([
      "bad_argument",
      `the arguments are ${JSON.stringify(args).length} characters of JSON; the limit is 4096`,
    ]);
    expect(sandbox.health()).toMatchObject({ healthy: true, state: "ready" });
  });
});
