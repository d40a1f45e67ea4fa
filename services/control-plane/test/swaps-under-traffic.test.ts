import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventEnvelope } from "../src/events/event-envelope.js";
import { createInProcessEventBus } from "../src/events/in-process-event-bus.js";
import {
  ACME_ALLOWLIST,
  codeHook,
  installCodePlugin,
  installedCodePlugin,
  pluginModule,
  pluginRuntime,
  waitUntil,
} from "./code-plugins.js";
import { type HeldHttpServer, startHeldHttpServer } from "./held-http-server.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { storePostmarkToken } from "./webhook-fixtures.js";
import { deliverPostmark, startSenders, storedSubjects } from "./webhook-senders.js";

const TOKEN = "pm-token-traffic-4Wz6-shared-secret";
const STAMP = "hook.acme-stamp";

describe("changing running plugins while webhooks flow", { timeout: 60_000 }, () => {
  let server: RunningControlPlane;
  let held: HeldHttpServer;
  const lifecycle: EventEnvelope[] = [];
  const bus = createInProcessEventBus((error) => {
    throw error;
  });

  beforeAll(async () => {
    held = await startHeldHttpServer();
    await bus.subscribe("plugin.lifecycle.>", (event) => {
      lifecycle.push(event);
    });
    server = await startControlPlane(
      "swaps-under-traffic",
      { ...ACME_ALLOWLIST, ...held.env },
      { eventBus: bus },
    );
    await storePostmarkToken(server, TOKEN);
  });
  afterAll(async () => {
    await server.stop();
    await bus.close();
    await held.close();
  });

  /** A fail-closed hook that stamps subjects with its version; `x-acme-slow` makes it wait. */
  const stamp = (version: string) =>
    installedCodePlugin(
      server,
      codeHook(STAMP, version, {
        failMode: "closed",
        timeoutMs: 5_000,
        permissions: [held.permission],
      }),
      pluginModule(
        STAMP,
        `return {
          async run(request) {
            if (request.headers["x-acme-slow"] === "1") await ctx.http.request({ url: "${held.url}/wait" });
            return { action: "modify", body: { ...request.body, Subject: "[${version}] " + request.body.Subject } };
          },
        };`,
      ),
    );
  const subjectOf = async (eventId: string | undefined) =>
    (await storedSubjects(server)).get(eventId ?? "");

  it("answers every webhook while a fail-closed hook that loads slowly is installed", async () => {
    const senders = startSenders(server, TOKEN);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Its start probe takes 400 ms: until it is running and switched in, it must not count.
    const guard = "hook.acme-slow-guard";
    await installedCodePlugin(
      server,
      codeHook(guard, "1.0.0", { failMode: "closed", permissions: [held.permission] }),
      pluginModule(
        guard,
        `return {
          run: () => ({ action: "passthrough" }),
          async probe() { await ctx.http.request({ url: "${held.url}/delay/400" }); return { healthy: true }; },
        };`,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = await senders.stop();
    expect(sent.statuses.length).toBeGreaterThan(10);
    expect(sent.statuses.filter((status) => status !== 202)).toEqual([]);
    expect((await pluginRuntime(server, guard)).hook?.calls).toBeGreaterThan(0);
  });

  it("finishes a call in flight on the old version while new calls get the new one", async () => {
    await stamp("1.0.0");
    const slow = deliverPostmark(server, TOKEN, { "x-acme-slow": "1" });
    await waitUntil(() => held.waiting() === 1, "the slow call to wait");
    await stamp("2.0.0");
    const fresh = await deliverPostmark(server, TOKEN);
    expect(await subjectOf(fresh.eventId)).toBe("[2.0.0] order");
    held.release();
    const finished = await slow;
    expect(finished.status).toBe(202);
    expect(await subjectOf(finished.eventId)).toBe("[1.0.0] order");
  });

  it("turns a fail-closed hook off and on again and again without failing a webhook", async () => {
    const senders = startSenders(server, TOKEN);
    for (let round = 0; round < 3; round++) {
      for (const action of ["disable", "enable"]) {
        const response = await server.request("POST", `/v1/plugins/${STAMP}/${action}`, {
          body: {},
        });
        expect(response.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    }
    const sent = await senders.stop();
    expect(sent.statuses.filter((status) => status !== 202)).toEqual([]);
    const subjects = await storedSubjects(server);
    const stamped = sent.eventIds.map((id) => subjects.get(id));
    expect(stamped.every((subject) => subject === "order" || subject === "[2.0.0] order")).toBe(
      true,
    );
    expect(await subjectOf((await deliverPostmark(server, TOKEN)).eventId)).toBe("[2.0.0] order");
  });

  it("runs concurrent changes one at a time: no instance starts while another is starting", async () => {
    lifecycle.splice(0);
    const responses = await Promise.all([
      server.request("POST", `/v1/plugins/${STAMP}/reload`, { body: {} }),
      installCodePlugin(
        server,
        codeHook("hook.acme-extra", "1.0.0", { ring: "routing" }),
        pluginModule("hook.acme-extra", `return { run: () => ({ action: "passthrough" }) };`),
      ),
      server.request("POST", "/v1/plugins/hook.rate-limit/enable", { body: {} }),
      server.request("POST", `/v1/plugins/${STAMP}/reload`, { body: {} }),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 201, 200, 200]);
    const bringUps = lifecycle
      .map((event) => event.data)
      .flatMap((data) =>
        typeof data === "object" && data !== null && !Array.isArray(data)
          ? [{ instance: String(data.instance), to: String(data.to) }]
          : [],
      )
      .filter((event) => ["validated", "loading", "starting", "running"].includes(event.to));
    const started = new Set(bringUps.map((event) => event.instance));
    expect(started.size).toBe(3);
    // Each instance goes from validated to running before the next one is created.
    const order = bringUps.map((event) => event.instance);
    for (const instance of started) {
      const first = order.indexOf(instance);
      const last = order.lastIndexOf(instance);
      expect(order.slice(first, last + 1).every((seen) => seen === instance)).toBe(true);
      expect(last - first).toBe(3);
    }
  });
});
