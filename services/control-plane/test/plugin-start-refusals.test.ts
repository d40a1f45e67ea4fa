import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  AuditListResponseWireSchema,
  PluginDetailResponseWireSchema,
  ProblemDetailsWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACME_ALLOWLIST,
  codeHook,
  installCodePlugin,
  installedCodePlugin,
  pluginModule,
  pluginRuntime,
  waitUntil,
} from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { storePostmarkToken } from "./webhook-fixtures.js";
import { deliverPostmark, storedSubjects } from "./webhook-senders.js";

const TOKEN = "pm-token-refusals-6Tn4-shared-secret";

/** A fail-closed hook that stamps subjects with its version. */
const stamping = (id: string, version: string) =>
  pluginModule(
    id,
    `return { run: (request) => ({ action: "modify", body: { ...request.body, Subject: "[${version}] " + request.body.Subject } }) };`,
  );

/**
 * A hook whose setup refuses to start once a webhook with `x-acme-break: <its id>` has
 * passed it: the flag lives in its storage, so only a new instance sees it.
 */
const breakable = (id: string) =>
  pluginModule(
    id,
    `if (await ctx.storage.get("broken")) throw new Error("told to break");
    return {
      async run(request) {
        if (request.headers["x-acme-break"] === ${JSON.stringify(id)}) await ctx.storage.set("broken", true);
        return { action: "passthrough" };
      },
    };`,
  );

describe("refusing changes whose plugin does not start", { timeout: 30_000 }, () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    // A short rollback window lets instances that left the set stop within a test.
    server = await startControlPlane("plugin-start-refusals", {
      ...ACME_ALLOWLIST,
      PLUGBOARD_ROLLBACK_WINDOW_MS: "100",
    });
    await storePostmarkToken(server, TOKEN);
  });
  afterAll(() => server.stop());

  const refusal = async (response: Response) => {
    expect(response.status).toBe(422);
    const problem = ProblemDetailsWireSchema.parse(await response.json());
    expect(problem.code).toBe("PLUGBOARD_PLUGIN_START_FAILED");
    return problem;
  };
  const detail = async (id: string) => {
    const response = await server.request("GET", `/v1/plugins/${id}`);
    expect(response.status).toBe(200);
    return PluginDetailResponseWireSchema.parse(await response.json());
  };
  const stampOfNext = async () => {
    const { status, eventId } = await deliverPostmark(server, TOKEN);
    expect(status).toBe(202);
    return (await storedSubjects(server)).get(eventId ?? "");
  };
  const instancesOf = async (id: string) =>
    (await pluginRuntime(server, id)).transitions.filter((t) => t.to === "validated").length;

  it("refuses an upgrade whose code does not start, storing nothing, and runs the old version through a restart", async () => {
    const hook = "hook.acme-guarded";
    const manifest = (version: string) => codeHook(hook, version, { failMode: "closed" });
    await installedCodePlugin(server, manifest("1.0.0"), stamping(hook, "1.0.0"));
    const problem = await refusal(
      await installCodePlugin(
        server,
        manifest("2.0.0"),
        pluginModule(hook, `throw new Error("setup cannot reach its config");`),
      ),
    );
    expect(problem.errors[0]).toEqual({
      path: "bundle",
      code: "setup_failed",
      message: "Error: setup cannot reach its config",
    });
    expect(problem.detail).toBe(
      `${hook} did not start (setup_failed: Error: setup cannot reach its config); nothing was stored and 1.0.0 keeps running`,
    );
    const stored = await detail(hook);
    expect(stored.plugin.installation.installed_version).toBe("1.0.0");
    expect(stored.versions.map((version) => version.version)).toEqual(["1.0.0"]);
    expect(stored.runtime).toMatchObject({ state: "running", version: "1.0.0", detail: null });
    expect(readdirSync(join(server.dataDir, "plugins", hook))).toEqual([
      expect.stringMatching(/^1\.0\.0-/),
    ]);
    const audit = AuditListResponseWireSchema.parse(
      await (await server.request("GET", `/v1/audit?target=${hook}`)).json(),
    );
    expect(audit.entries.map((entry) => entry.action)).toEqual(["plugin.install"]);
    expect(await stampOfNext()).toBe("[1.0.0] order");

    await server.restart();
    expect(await stampOfNext()).toBe("[1.0.0] order");
  });

  it("refuses a new plugin whose code cannot load, leaving no trace of it", async () => {
    const hook = "hook.acme-never";
    const problem = await refusal(
      await installCodePlugin(server, codeHook(hook, "1.0.0"), "export default 42;\n"),
    );
    expect(problem.errors[0]).toMatchObject({ path: "bundle", code: "load_failed" });
    expect(problem.detail).toMatch(/nothing was stored$/);
    expect((await server.request("GET", `/v1/plugins/${hook}`)).status).toBe(404);
    const folder = join(server.dataDir, "plugins", hook);
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  });

  it("refuses to enable a plugin whose code no longer starts, and leaves it disabled", async () => {
    const hook = "hook.acme-fickle";
    await installedCodePlugin(
      server,
      codeHook(hook, "1.0.0", { permissions: ["storage:read", "storage:write"] }),
      breakable(hook),
    );
    expect((await deliverPostmark(server, TOKEN, { "x-acme-break": hook })).status).toBe(202);
    const off = await server.request("PATCH", `/v1/plugins/${hook}`, { body: { enabled: false } });
    expect(off.status).toBe(200);
    // Once the rollback window let the instance go, enabling must load the code again.
    await waitUntil(
      async () => (await pluginRuntime(server, hook)).transitions.at(-1)?.to === "stopped",
      "the disabled instance to stop",
    );
    const problem = await refusal(
      await server.request("PATCH", `/v1/plugins/${hook}`, { body: { enabled: true } }),
    );
    expect(problem.errors[0]).toEqual({
      path: "enabled",
      code: "setup_failed",
      message: "Error: told to break",
    });
    expect((await detail(hook)).plugin.installation.enabled).toBe(false);
    const viaAction = await refusal(
      await server.request("POST", `/v1/plugins/${hook}/enable`, { body: {} }),
    );
    expect(viaAction.errors[0]).toMatchObject({ path: "id", code: "setup_failed" });
    expect(await pluginRuntime(server, hook)).toMatchObject({ state: "not_running" });
  });

  it("refuses a reload whose new instance does not start, and does not try it again on later changes", async () => {
    const hook = "hook.acme-brittle";
    await installedCodePlugin(
      server,
      codeHook(hook, "1.0.0", { permissions: ["storage:read", "storage:write"] }),
      breakable(hook),
    );
    expect((await deliverPostmark(server, TOKEN, { "x-acme-break": hook })).status).toBe(202);
    const problem = await refusal(
      await server.request("POST", `/v1/plugins/${hook}/reload`, { body: {} }),
    );
    expect(problem.errors[0]).toMatchObject({ path: "id", code: "setup_failed" });
    expect(problem.detail).toContain("1.0.0 keeps running");
    const created = await instancesOf(hook);
    expect(created).toBe(2);
    // Changes to other plugins leave it alone: it runs as before, and nothing new is tried.
    await installedCodePlugin(
      server,
      codeHook("hook.acme-unrelated", "1.0.0", { ring: "background" }),
      stamping("hook.acme-unrelated", "1.0.0"),
    );
    const enabled = await server.request("POST", "/v1/plugins/hook.rate-limit/enable", {
      body: {},
    });
    expect(enabled.status).toBe(200);
    expect(await instancesOf(hook)).toBe(created);
    expect(await pluginRuntime(server, hook)).toMatchObject({ state: "running", detail: null });
  });
});
