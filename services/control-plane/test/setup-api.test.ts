import {
  PluginDetailResponseWireSchema,
  PluginSetupWireSchema,
  ProblemDetailsWireSchema,
  SetupListResponseWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/store/database.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

const SMTP = "provider.smtp-relay";
const SMTP_SECRETS = {
  smtp_host: "smtp.example.com",
  smtp_port: "587",
  smtp_username: "mailer",
  smtp_password: "setup-test-password",
  smtp_from_address: "noreply@example.com",
};

describe("setup progress routes", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("setup");
  });
  afterAll(() => server.stop());

  const listSetup = async () => {
    const response = await server.request("GET", "/v1/setup");
    expect(response.status).toBe(200);
    return SetupListResponseWireSchema.parse(await response.json()).plugins;
  };
  /** `stepId: status/source` for each step of a plugin. */
  const stepsOf = async (pluginId: string) => {
    const plugin = (await listSetup()).find((entry) => entry.plugin_id === pluginId);
    return Object.fromEntries(
      (plugin?.steps ?? []).map((step) => [step.id, `${step.status}/${step.source}`]),
    );
  };
  const registrySetup = async (pluginId: string) => {
    const response = await server.request("GET", `/v1/plugins/${pluginId}`);
    return PluginDetailResponseWireSchema.parse(await response.json()).plugin.installation.setup;
  };
  const mark = (pluginId: string, stepId: string, body: unknown) =>
    server.request("POST", `/v1/setup/${pluginId}/${stepId}`, { body });

  it("lists every plugin with setup steps, each pending, evaluated or manual", async () => {
    const plugins = await listSetup();
    expect(plugins.map((plugin) => plugin.plugin_id)).toEqual(
      [...plugins.map((plugin) => plugin.plugin_id)].sort(),
    );
    expect(plugins.every((plugin) => plugin.total > 0 && plugin.completed === 0)).toBe(true);
    const smtp = plugins.find((plugin) => plugin.plugin_id === SMTP);
    expect(smtp).toMatchObject({ kind: "connection_provider", enabled: true, total: 2 });
    expect(smtp?.steps[0]).toMatchObject({
      id: "smtp-configure",
      cta_label: "Set up SMTP",
      status: "pending",
      source: "evaluator",
      updated_at: null,
    });
    expect(await stepsOf(SMTP)).toEqual({
      "smtp-configure": "pending/evaluator",
      "smtp-verify": "pending/manual",
    });
  });

  it("computes credential and connection steps from stored secrets", async () => {
    const partial = { ...SMTP_SECRETS, smtp_password: undefined };
    await server.request("PUT", `/v1/plugins/${SMTP}/secrets`, { body: { secrets: partial } });
    expect((await stepsOf(SMTP))["smtp-configure"]).toBe("pending/evaluator");

    await server.request("PUT", `/v1/plugins/${SMTP}/secrets`, {
      body: { secrets: SMTP_SECRETS },
    });
    expect((await stepsOf(SMTP))["smtp-configure"]).toBe("done/evaluator");
    expect((await stepsOf("worker-pack.follow-up"))["smtp-configure"]).toBe("done/evaluator");
    expect((await stepsOf("action.smtp-reviewed-send"))["smtp-configure"]).toBe("done/evaluator");
    expect(await registrySetup(SMTP)).toEqual({ completed: 1, total: 2 });
    expect(await registrySetup("worker-pack.follow-up")).toEqual({ completed: 1, total: 3 });
  });

  it("computes a worker-pack install step from the workers installed", async () => {
    expect((await stepsOf("worker-pack.proposal"))["install-proposal"]).toBe("pending/evaluator");
    const install = await server.request("POST", "/v1/workers", {
      body: { worker_pack_id: "proposal_v1" },
    });
    expect(install.status).toBe(201);
    expect((await stepsOf("worker-pack.proposal"))["install-proposal"]).toBe("done/evaluator");
    expect(await registrySetup("worker-pack.proposal")).toEqual({ completed: 1, total: 2 });
  });

  it("computes a settings step from a saved config that satisfies the schema", async () => {
    const put = await server.request("PUT", "/v1/plugins/hook.rate-limit/config", {
      body: { config: { maxRequests: 10, windowSeconds: 60, keyBy: "user" } },
      headers: { "if-match": '"0"' },
    });
    expect(put.status).toBe(200);
    expect(await stepsOf("hook.rate-limit")).toEqual({
      "rate-limit-configure": "done/evaluator",
    });
  });

  it("marks a manual step done and undone, shown in setup and in the registry", async () => {
    const done = await mark(SMTP, "smtp-verify", { done: true });
    expect(done.status).toBe(200);
    const setup = PluginSetupWireSchema.parse(await done.json());
    expect(setup).toMatchObject({ plugin_id: SMTP, completed: 2, total: 2 });
    expect(setup.steps[1]).toMatchObject({
      id: "smtp-verify",
      status: "done",
      source: "manual",
      updated_by: "admin",
      updated_at: expect.any(String),
    });
    expect(await registrySetup(SMTP)).toEqual({ completed: 2, total: 2 });

    const undone = PluginSetupWireSchema.parse(
      await (await mark(SMTP, "smtp-verify", { done: false })).json(),
    );
    expect(undone.steps[1]?.status).toBe("pending");
    expect(await registrySetup(SMTP)).toEqual({ completed: 1, total: 2 });
    expect((await mark(SMTP, "smtp-verify", { done: true })).status).toBe(200);
  });

  it("refuses to mark a step an evaluator computes, with 409", async () => {
    const response = await mark(SMTP, "smtp-configure", { done: false });
    expect(response.status).toBe(409);
    expect(ProblemDetailsWireSchema.parse(await response.json())).toMatchObject({
      code: "PLUGBOARD_CONFLICT",
      errors: [{ path: "step", code: "evaluated_step" }],
    });
    expect((await stepsOf(SMTP))["smtp-configure"]).toBe("done/evaluator");
  });

  it("answers 404 for an unknown plugin or step, 400 for a malformed one, 422 for a bad body", async () => {
    expect((await mark("provider.nowhere", "smtp-verify", { done: true })).status).toBe(404);
    const step = await mark(SMTP, "smtp-dance", { done: true });
    expect(step.status).toBe(404);
    expect((await step.text()).includes("smtp-configure, smtp-verify")).toBe(true);
    expect((await mark(SMTP, "Smtp_Verify", { done: true })).status).toBe(400);
    expect((await mark("Not-An-Id", "smtp-verify", { done: true })).status).toBe(400);
    expect((await mark(SMTP, "smtp-verify", { done: "yes" })).status).toBe(422);
    expect((await mark(SMTP, "smtp-verify", {})).status).toBe(422);
  });

  it("returns a connection step to pending when a secret it needs is deleted", async () => {
    await server.request("PUT", `/v1/plugins/${SMTP}/secrets`, {
      body: { secrets: { smtp_password: null } },
    });
    expect((await stepsOf(SMTP))["smtp-configure"]).toBe("pending/evaluator");
    expect((await stepsOf("worker-pack.follow-up"))["smtp-configure"]).toBe("pending/evaluator");
    expect(await registrySetup(SMTP)).toEqual({ completed: 1, total: 2 });
  });

  it("audits each manual mark with its actor and the status before and after", async () => {
    const database = openDatabase({ dataDir: server.dataDir, databaseUrl: server.databaseUrl });
    const rows = await database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "setup.mark")
      .orderBy("id")
      .execute();
    await database.close();
    expect(
      rows.map((row) => [row.actor, row.target, JSON.parse(row.detail_json ?? "null")]),
    ).toEqual([
      ["admin", `${SMTP}:smtp-verify`, { before: "pending", after: "done" }],
      ["admin", `${SMTP}:smtp-verify`, { before: "done", after: "pending" }],
      ["admin", `${SMTP}:smtp-verify`, { before: "pending", after: "done" }],
    ]);
  });

  it("keeps manual marks and computed progress across a restart", async () => {
    await server.restart();
    expect(await stepsOf(SMTP)).toEqual({
      "smtp-configure": "pending/evaluator",
      "smtp-verify": "done/manual",
    });
    expect((await stepsOf("worker-pack.proposal"))["install-proposal"]).toBe("done/evaluator");
    expect(await registrySetup("hook.rate-limit")).toEqual({ completed: 1, total: 1 });
  });
});
