import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEgressPolicy } from "../egress/egress-policy.js";
import { sendEgressRequest } from "../egress/send-egress-request.js";
import { type LocalServer, startLocalServer } from "../egress/testing/local-server.js";
import { stubLookup } from "../egress/testing/stub-lookup.js";
import type { Sandbox } from "./sandbox.js";
import { SandboxError } from "./sandbox-errors.js";
import {
  createFixtureHost,
  type FixtureManifest,
  fixtureSandbox,
  hookManifest,
  pluginSource,
} from "./testing/plugin-fixtures.js";

// A call that is stopped takes the outbound HTTP it started with it: the far end sees its
// connection closed at once, not when the egress guard's own timeout (30 s) runs out.

const open: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of open.splice(0)) sandbox.dispose();
});

let server: LocalServer;
const closed: Array<() => void> = [];
beforeAll(async () => {
  // Answers nothing; tells the test when the client closed the connection.
  server = await startLocalServer((_request, response: ServerResponse) => {
    response.on("close", () => closed.shift()?.());
  });
});
afterAll(async () => {
  await server.close();
});

function slowCaller() {
  const manifest: FixtureManifest = {
    ...hookManifest(),
    permissions: [`network:outbound:slow.test:${server.port}`],
  };
  const policy = createEgressPolicy([{ host: "slow.test", port: server.port }], {
    plainHttpHosts: ["slow.test"],
    loopbackHosts: ["slow.test"],
  });
  const lookup = stubLookup({ "slow.test": [["127.0.0.1"]] });
  const host = createFixtureHost({
    manifest,
    egress: (request, options) => sendEgressRequest(request, policy, { lookup, ...options }),
  });
  const { sandbox } = fixtureSandbox(
    pluginSource(
      `return { async run() { await ctx.http.request({ url: "http://slow.test:${server.port}/slow" }); return { action: "passthrough" }; } };`,
    ),
    { manifest, host, limits: { wallTimeMs: 10_000 } },
  );
  open.push(sandbox);
  return sandbox;
}

/** Resolves when the server sees the next connection close, with how long that took. */
function nextClose(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => closed.push(() => resolve(performance.now() - started)));
}

async function requestArrived(count: number): Promise<void> {
  await expect.poll(() => server.seen.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(count);
}

describe("outbound HTTP of a stopped call", () => {
  it.each([
    ["times out", (sandbox: Sandbox) => sandbox.call("run", [{}], { timeoutMs: 200 }), "timeout"],
    [
      "is aborted by its caller",
      (sandbox: Sandbox) => {
        const controller = new AbortController();
        const call = sandbox.call("run", [{}], { signal: controller.signal });
        setTimeout(() => controller.abort(), 200);
        return call;
      },
      "aborted",
    ],
    [
      "has its sandbox disposed",
      (sandbox: Sandbox) => {
        const call = sandbox.call("run", [{}]);
        setTimeout(() => sandbox.dispose(), 200);
        return call;
      },
      "disposed",
    ],
  ])("is cancelled when the call %s", async (_case, start, code) => {
    const sandbox = slowCaller();
    await sandbox.load();
    const seenBefore = server.seen.length;
    const closing = nextClose();
    const error = await start(sandbox).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SandboxError);
    expect(error).toMatchObject({ code });
    await requestArrived(seenBefore + 1);
    expect(await closing).toBeLessThan(2_000);
  });
});
