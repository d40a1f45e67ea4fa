import { EventListResponseWireSchema, ProblemDetailsWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACME_ALLOWLIST,
  installCodePlugin,
  installedCodePlugin,
  pluginModule,
} from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { acknowledgement, sendWebhook } from "./webhook-fixtures.js";

const ADAPTER = "ingress.acme.orders";
const TOKEN = "acme-orders-token-Rt55-shared-secret";

/** A third-party adapter whose code turns one delivery of orders into one event per order. */
function ordersAdapter(version: string) {
  return {
    kind: "ingress_adapter",
    id: ADAPTER,
    version,
    displayName: "Acme orders",
    description: "Receives batches of Acme orders and publishes one route event per order.",
    owner: "third_party",
    stability: "experimental",
    category: "automation",
    engines: { plugboard: "^1.0.0" },
    permissions: ["network:inbound"],
    secretKeys: ["acme_orders_token"],
    provider: "postmark",
    adapterKind: "generic_webhook",
    authentication: "shared_token",
    normalizedInputRouteKinds: ["acme_order"],
    setupSteps: [],
    runtime: { type: "module", entry: "dist/plugin.js" },
  };
}

const NORMALIZE_HANDLERS = `return {
    normalize(request) {
      const payload = JSON.parse(request.body);
      if (!Array.isArray(payload.orders)) throw new Error("expected { orders: [...] }");
      if (payload.kind === "wrong") return [{ routeKind: "not_declared", eventId: "x", data: null }];
      if (payload.kind === "not_json") return [{ routeKind: "acme_order", eventId: "x", data: 1n }];
      if (payload.kind === "no_data") return [{ routeKind: "acme_order", eventId: "x" }];
      if (payload.kind === "huge") return [{ routeKind: "acme_order", eventId: "x", data: "x".repeat(2 * 1024 * 1024) }];
      return payload.orders.map((order) => ({
        routeKind: "acme_order",
        eventId: "order-" + order.id,
        data: { orderId: order.id, total: order.total, tenant: request.headers["x-acme-tenant"] ?? null },
      }));
    },
  };`;
const NORMALIZE = pluginModule(ADAPTER, NORMALIZE_HANDLERS);

describe("an ingress adapter whose normalize runs in its sandbox", { timeout: 30_000 }, () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("code-ingress-adapter", ACME_ALLOWLIST);
    await installedCodePlugin(server, ordersAdapter("1.0.0"), NORMALIZE);
    const stored = await server.request("PUT", `/v1/plugins/${ADAPTER}/secrets`, {
      body: { secrets: { acme_orders_token: TOKEN } },
    });
    expect(stored.status).toBe(200);
  });
  afterAll(() => server.stop());

  const deliver = (body: unknown) =>
    sendWebhook(server, ADAPTER, {
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${TOKEN}`, "x-acme-tenant": "north" },
    });
  const events = async () => {
    const response = await server.request("GET", `/v1/events?plugin=${ADAPTER}`);
    return EventListResponseWireSchema.parse(await response.json()).events;
  };
  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());

  it("stores and publishes one route event per event the adapter's code returns", async () => {
    const response = await deliver({
      orders: [
        { id: 1, total: 20 },
        { id: 2, total: 35 },
      ],
    });
    expect(response.status).toBe(202);
    const ack = await acknowledgement(response);
    expect(ack.duplicate).toBe(false);
    const stored = await events();
    expect(stored.map((event) => event.provider_event_id).sort()).toEqual(["order-1", "order-2"]);
    expect(stored.find((event) => event.provider_event_id === "order-2")).toMatchObject({
      type: "route.acme_order",
      source: ADAPTER,
      data: { orderId: 2, total: 35, tenant: "north" },
    });
    expect(stored.map((event) => event.id)).toContain(ack.event_id);
  });

  it("treats a redelivery of the same orders as a duplicate", async () => {
    const response = await deliver({
      orders: [
        { id: 1, total: 20 },
        { id: 2, total: 35 },
      ],
    });
    expect(response.status).toBe(200);
    expect((await acknowledgement(response)).duplicate).toBe(true);
    expect(await events()).toHaveLength(2);
  });

  it("answers 422 with the adapter's message when its code refuses the payload, storing nothing", async () => {
    const refused = await deliver({ nothing: true });
    expect(refused.status).toBe(422);
    expect((await problem(refused)).errors[0]).toMatchObject({
      path: "body",
      code: "payload_refused",
      message: "expected { orders: [...] }",
    });
    const empty = await deliver({ orders: [] });
    expect(empty.status).toBe(422);
    expect((await problem(empty)).errors[0]?.code).toBe("no_event");
    expect(await events()).toHaveLength(2);
  });

  it.each([
    ["a result that is not JSON", "not_json"],
    ["a result of the wrong shape", "no_data"],
  ])("answers 503, not 422, for %s, storing nothing", async (_case, kind) => {
    const response = await deliver({ kind, orders: [] });
    expect(response.status).toBe(503);
    expect((await problem(response)).detail).toBe(
      `${ADAPTER} could not normalise the delivery (bad_return)`,
    );
    expect(await events()).toHaveLength(2);
    expect((await deliver({ nothing: true })).status).toBe(422);
  });

  it("answers 503, not 422, for a result over the sandbox's size cap, a runaway", async () => {
    const huge = {
      ...ordersAdapter("1.0.0"),
      id: "ingress.acme.huge",
      secretKeys: ["acme_huge_token"],
    };
    await installedCodePlugin(server, huge, pluginModule(huge.id, NORMALIZE_HANDLERS));
    await server.request("PUT", "/v1/plugins/ingress.acme.huge/secrets", {
      body: { secrets: { acme_huge_token: TOKEN } },
    });
    const response = await sendWebhook(server, huge.id, {
      body: JSON.stringify({ kind: "huge", orders: [] }),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(503);
    expect((await problem(response)).detail).toBe(
      "ingress.acme.huge could not normalise the delivery (return_too_large)",
    );
    const health = await server.request("GET", "/v1/plugins/ingress.acme.huge/health");
    expect(await health.json()).toMatchObject({
      runtime: { healthy: false, last_error: { code: "return_too_large" } },
    });
  });

  it("answers 503 while an adapter's code does not run", async () => {
    const unconfigured = {
      ...ordersAdapter("1.0.0"),
      id: "ingress.acme.broken",
      secretKeys: ["acme_broken_token"],
      configSchema: {
        type: "object",
        properties: { region: { type: "string", title: "Region" } },
        required: ["region"],
        additionalProperties: false,
      },
    };
    // Its required setting has no value, so its code does not run.
    await installedCodePlugin(
      server,
      unconfigured,
      NORMALIZE.replace(JSON.stringify(ADAPTER), JSON.stringify("ingress.acme.broken")),
    );
    await server.request("PUT", "/v1/plugins/ingress.acme.broken/secrets", {
      body: { secrets: { acme_broken_token: TOKEN } },
    });
    const response = await sendWebhook(server, "ingress.acme.broken", {
      body: JSON.stringify({ orders: [{ id: 9, total: 1 }] }),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(503);
    expect((await problem(response)).detail).toContain("which is not running");
  });

  it("answers 503 for a route kind the manifest does not declare, and keeps the running version while a new one cannot start", async () => {
    const wrong = await deliver({ kind: "wrong", orders: [] });
    expect(wrong.status).toBe(503);
    expect((await problem(wrong)).detail).toContain(
      "not_declared is not one of its normalizedInputRouteKinds",
    );
    const refused = await installCodePlugin(server, ordersAdapter("1.1.0"), "export default 42;\n");
    expect(refused.status).toBe(422);
    expect((await problem(refused)).code).toBe("PLUGBOARD_PLUGIN_START_FAILED");
    // 1.0.0 keeps running: 1.1.0 could not start, so it was not installed.
    expect((await deliver({ orders: [{ id: 3, total: 5 }] })).status).toBe(202);
    await server.request("POST", `/v1/plugins/${ADAPTER}/disable`, { body: {} });
    expect((await deliver({ orders: [{ id: 4, total: 5 }] })).status).toBe(404);
  });
});
