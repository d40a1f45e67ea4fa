import {
  EventListResponseWireSchema,
  PluginHealthResponseWireSchema,
  ProblemDetailsWireSchema,
  WorkerRunListResponseWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventEnvelope } from "../src/events/event-envelope.js";
import { createInProcessEventBus } from "../src/events/in-process-event-bus.js";
import { ACME_ALLOWLIST, codeHook, installedCodePlugin, pluginModule } from "./code-plugins.js";
import { connectSmtpRelay, installFollowUpWorker } from "./governed-actions.js";
import { SMTP_HOST } from "./local-smtp-server.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import {
  acknowledgement,
  POSTMARK,
  postmarkMessage,
  sendWebhook,
  storePostmarkToken,
} from "./webhook-fixtures.js";

const TOKEN = "pm-token-hooks-3Jw8-shared-secret";

const GATE = pluginModule(
  "hook.acme-gate",
  `return {
    async run(request) {
      if (request.headers["x-acme-ping"] === "1") {
        return { action: "respond", status: 200, body: { handled_by: "hook.acme-gate" } };
      }
      const tenant = request.headers["x-acme-tenant"];
      if (tenant === undefined) {
        return { action: "block", status: 403, type: "tenant_required", message: "send x-acme-tenant" };
      }
      return {
        action: "modify",
        body: { ...request.body, Subject: "[" + tenant + "] " + request.body.Subject },
        metadata: { "hook.acme-gate": { tenant } },
      };
    },
  };`,
);

const passing = (id: string) =>
  pluginModule(id, `return { run: () => ({ action: "passthrough" }) };`);

const SPAM_FILTER = pluginModule(
  "hook.acme-spam-filter",
  `return {
    run(request) {
      if (String(request.body.subject).includes("[spam]")) {
        return { action: "block", status: 422, type: "spam", message: "looks like spam" };
      }
      return { action: "passthrough" };
    },
  };`,
);

const AUDIT = pluginModule(
  "hook.acme-trail",
  `return {
    async run(request) {
      await ctx.events.publish("acme.trail.seen", { path: request.path });
      return { action: "passthrough" };
    },
  };`,
);

describe("hooks acting on webhooks, route events and finished work", { timeout: 30_000 }, () => {
  let server: RunningControlPlane;
  const seen: EventEnvelope[] = [];
  const bus = createInProcessEventBus((error) => {
    throw error;
  });

  beforeAll(async () => {
    await bus.subscribe("acme.>", (event) => {
      seen.push(event);
    });
    server = await startControlPlane("hooks-on-traffic", ACME_ALLOWLIST, { eventBus: bus });
    await storePostmarkToken(server, TOKEN);
    // Stored only so the worker can be installed: nothing is sent in this file.
    await connectSmtpRelay(server, { host: SMTP_HOST, port: 2525 });
    await installFollowUpWorker(server);
  });
  afterAll(async () => {
    await server.stop();
    await bus.close();
  });

  const deliver = (messageId: string, headers: Record<string, string> = {}, subject?: string) =>
    sendWebhook(server, POSTMARK, {
      body: postmarkMessage(messageId, subject),
      headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    });
  const storedEvent = async (eventId: string) => {
    const response = await server.request("GET", `/v1/events?plugin=${POSTMARK}`);
    const { events } = EventListResponseWireSchema.parse(await response.json());
    return events.find((event) => event.id === eventId);
  };
  const health = async (id: string) => {
    const response = await server.request("GET", `/v1/plugins/${id}/health`);
    expect(response.status).toBe(200);
    return PluginHealthResponseWireSchema.parse(await response.json()).runtime;
  };

  it("runs an installed ingress hook in its sandbox on every webhook: block, respond, modify", async () => {
    const installed = await installedCodePlugin(
      server,
      codeHook("hook.acme-gate", "1.0.0", { ring: "ingress" }),
      GATE,
    );
    expect(installed.runtime).toMatchObject({ mode: "sandbox", state: "running", healthy: true });

    const blocked = await deliver("pm-hook-blocked");
    expect(blocked.status).toBe(403);
    const problem = ProblemDetailsWireSchema.parse(await blocked.json());
    expect(problem).toMatchObject({ code: "PLUGBOARD_HOOK_BLOCKED", status: 403 });
    expect(problem.errors).toEqual([
      { path: "hook.acme-gate", code: "tenant_required", message: "send x-acme-tenant" },
    ]);

    const answered = await deliver("pm-hook-ping", { "x-acme-ping": "1" });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ handled_by: "hook.acme-gate" });

    const modified = await deliver("pm-hook-tenant", { "x-acme-tenant": "north" });
    expect(modified.status).toBe(202);
    const { event_id: eventId } = await acknowledgement(modified);
    const event = await storedEvent(eventId);
    expect(event?.data).toMatchObject({ subject: "[north] Fwd: the Q3 proposal" });

    const response = await server.request("GET", `/v1/events?plugin=${POSTMARK}`);
    const ids = EventListResponseWireSchema.parse(await response.json()).events.map(
      (stored) => stored.provider_event_id,
    );
    expect(ids).not.toContain("pm-hook-blocked");
    expect(ids).not.toContain("pm-hook-ping");
    expect((await health("hook.acme-gate")).calls).toBeGreaterThanOrEqual(3);
  });

  it("answers 503 when a fail-closed ingress hook fails, and goes on past a fail-open one", async () => {
    const crashing = pluginModule(
      "hook.acme-fragile",
      `return { run() { throw new Error("the fragile hook broke"); } };`,
    );
    await installedCodePlugin(
      server,
      codeHook("hook.acme-fragile", "1.0.0", { ring: "ingress", failMode: "closed", priority: 1 }),
      crashing,
    );
    const refused = await deliver("pm-hook-fragile", { "x-acme-tenant": "north" });
    expect(refused.status).toBe(503);
    const problem = ProblemDetailsWireSchema.parse(await refused.json());
    expect(problem.code).toBe("PLUGBOARD_HOOK_FAILED");
    expect(JSON.stringify(problem)).not.toContain("the fragile hook broke");

    await installedCodePlugin(
      server,
      codeHook("hook.acme-fragile", "1.1.0", { ring: "ingress", failMode: "open", priority: 1 }),
      crashing,
    );
    const accepted = await deliver("pm-hook-fragile-open", { "x-acme-tenant": "north" });
    expect(accepted.status).toBe(202);
    const disabled = await server.request("POST", "/v1/plugins/hook.acme-fragile/disable", {
      body: {},
    });
    expect(disabled.status).toBe(200);
    expect((await health("hook.acme-fragile")).state).toBe("not_running");
  });

  it("stops webhooks at a fail-closed hook that should run but does not, and lets them past a fail-open one", async () => {
    const guard = codeHook("hook.acme-guard", "1.0.0", {
      ring: "ingress",
      failMode: "closed",
      priority: 2,
      configSchema: {
        type: "object",
        properties: { realm: { type: "string", title: "Realm" } },
        required: ["realm"],
        additionalProperties: false,
      },
    });
    const installed = await installedCodePlugin(server, guard, passing("hook.acme-guard"));
    expect(installed.runtime.detail).toContain("config.realm");
    const refused = await deliver("pm-hook-unconfigured", { "x-acme-tenant": "north" });
    expect(refused.status).toBe(503);
    expect(ProblemDetailsWireSchema.parse(await refused.json()).code).toBe("PLUGBOARD_HOOK_FAILED");

    await installedCodePlugin(
      server,
      { ...guard, version: "1.1.0", failMode: "open" },
      passing("hook.acme-guard"),
    );
    expect((await deliver("pm-hook-unconfigured-open", { "x-acme-tenant": "north" })).status).toBe(
      202,
    );
    const configured = await server.request("PUT", "/v1/plugins/hook.acme-guard/config", {
      body: { config: { realm: "north" } },
      headers: { "if-match": '"0"' },
    });
    expect(configured.status).toBe(200);
    expect((await health("hook.acme-guard")).state).toBe("running");
    await server.request("POST", "/v1/plugins/hook.acme-guard/disable", { body: {} });
  });

  it("keeps a route event from every worker when a routing hook blocks it", async () => {
    await installedCodePlugin(
      server,
      codeHook("hook.acme-spam-filter", "1.0.0", { ring: "routing" }),
      SPAM_FILTER,
    );
    const response = await deliver("pm-hook-spam", { "x-acme-tenant": "south" }, "[spam] buy now");
    const { event_id: eventId } = await acknowledgement(response);
    let runs: ReturnType<typeof WorkerRunListResponseWireSchema.parse>["runs"] = [];
    for (let tries = 0; tries < 200 && runs.length === 0; tries++) {
      const listed = await server.request("GET", `/v1/worker-runs?event_id=${eventId}`);
      runs = WorkerRunListResponseWireSchema.parse(await listed.json()).runs;
      if (runs.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(runs).toEqual([
      expect.objectContaining({
        status: "skipped",
        detail: "hook.acme-spam-filter blocked the event (422 spam): looks like spam",
      }),
    ]);
  });

  it("tells background hooks about finished work without waiting for them", async () => {
    await installedCodePlugin(
      server,
      codeHook("hook.acme-trail", "1.0.0", {
        ring: "background",
        permissions: ["event:publish:acme.>"],
      }),
      AUDIT,
    );
    await deliver("pm-hook-trail", { "x-acme-tenant": "east" });
    for (let tries = 0; tries < 200 && seen.length === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(seen[0]).toMatchObject({
      type: "acme.trail.seen",
      source: "hook.acme-trail",
      data: { path: "/routes/forward_email/dispatched" },
    });
  });
});
