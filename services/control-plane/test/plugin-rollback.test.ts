import { PluginChangeResultWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACME_ALLOWLIST,
  codeHook,
  installedCodePlugin,
  pluginModule,
  pluginRuntime,
  waitUntil,
} from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { storePostmarkToken } from "./webhook-fixtures.js";
import { deliverPostmark, startSenders, storedSubjects } from "./webhook-senders.js";

const TOKEN = "pm-token-rollback-2Hs8-shared-secret";
const HOOK = "hook.acme-counter";

/**
 * A hook that stamps each webhook's subject with its version and how many webhooks this
 * instance has seen: the count lives in the instance, so it shows which instance answered.
 */
function counter(version: string) {
  return pluginModule(
    HOOK,
    `let seen = 0;
    return {
      run(request) {
        seen += 1;
        return { action: "modify", body: { ...request.body, Subject: "[${version} #" + seen + "] " + request.body.Subject } };
      },
    };`,
  );
}

const install = (server: RunningControlPlane, version: string) =>
  installedCodePlugin(server, codeHook(HOOK, version, { failMode: "closed" }), counter(version));

const rollback = async (server: RunningControlPlane) => {
  const response = await server.request("POST", `/v1/plugins/${HOOK}/rollback`, { body: {} });
  expect(response.status, await response.clone().text()).toBe(200);
  return PluginChangeResultWireSchema.parse(await response.json());
};

async function stampOfNext(server: RunningControlPlane): Promise<string> {
  const { status, eventId } = await deliverPostmark(server, TOKEN);
  expect(status).toBe(202);
  return (await storedSubjects(server)).get(eventId ?? "") ?? "";
}

const loadsOf = (runtime: Awaited<ReturnType<typeof pluginRuntime>>, instance: string) =>
  runtime.transitions.filter((t) => t.instance === instance && t.to === "loading").length;

async function startServer(name: string, env: Record<string, string> = {}) {
  const server = await startControlPlane(name, { ...ACME_ALLOWLIST, ...env });
  await storePostmarkToken(server, TOKEN);
  return server;
}

describe("rolling a plugin back within the rollback window", { timeout: 60_000 }, () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startServer("plugin-rollback");
  });
  afterAll(() => server.stop());

  it("switches back to the previous version's loaded instance after unrelated changes, while webhooks flow", async () => {
    await install(server, "1.0.0");
    for (let i = 0; i < 3; i++) await stampOfNext(server);
    const first = (await pluginRuntime(server, HOOK)).transitions[0]?.instance ?? "";
    await install(server, "2.0.0");
    expect(await stampOfNext(server)).toBe("[2.0.0 #1] order");
    // Unrelated swaps: another plugin installed, reloaded and reconfigured.
    await installedCodePlugin(
      server,
      codeHook("hook.acme-bystander", "1.0.0", { ring: "background" }),
      pluginModule("hook.acme-bystander", `return { run: () => ({ action: "passthrough" }) };`),
    );
    const reloaded = await server.request("POST", "/v1/plugins/hook.acme-bystander/reload", {
      body: {},
    });
    expect(reloaded.status).toBe(200);

    const senders = startSenders(server, TOKEN);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await rollback(server);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = await senders.stop();
    expect(sent.statuses.filter((status) => status !== 202)).toEqual([]);

    expect(result.plugin.installation.installed_version).toBe("1.0.0");
    expect(result.runtime).toMatchObject({ state: "running", version: "1.0.0" });
    const runtime = await pluginRuntime(server, HOOK);
    expect(loadsOf(runtime, first)).toBe(1);
    // The instance kept counting from where it was: it is the one that ran before.
    const stamp = await stampOfNext(server);
    const count = Number(/^\[1\.0\.0 #(\d+)\] order$/.exec(stamp)?.[1]);
    expect(count).toBeGreaterThan(3);
    const stamps = await storedSubjects(server);
    const versions = new Set(
      sent.eventIds.map((id) => /^\[(.+?) #/.exec(stamps.get(id) ?? "")?.[1]),
    );
    expect([...versions].every((version) => version === "1.0.0" || version === "2.0.0")).toBe(true);
  });
});

describe("rolling a plugin back after the rollback window", { timeout: 60_000 }, () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startServer("plugin-rollback-late", { PLUGBOARD_ROLLBACK_WINDOW_MS: "100" });
  });
  afterAll(() => server.stop());

  it("loads the previous version afresh once its instance was let go", async () => {
    await install(server, "1.0.0");
    const first = (await pluginRuntime(server, HOOK)).transitions[0]?.instance ?? "";
    await stampOfNext(server);
    await install(server, "2.0.0");
    await waitUntil(
      async () =>
        (await pluginRuntime(server, HOOK)).transitions.some(
          (transition) => transition.instance === first && transition.to === "stopped",
        ),
      "the 1.0.0 instance to stop once the window closed",
    );
    await rollback(server);
    const runtime = await pluginRuntime(server, HOOK);
    expect(runtime).toMatchObject({ state: "running", version: "1.0.0" });
    expect(loadsOf(runtime, first)).toBe(2);
    expect(await stampOfNext(server)).toBe("[1.0.0 #1] order");
  });
});
