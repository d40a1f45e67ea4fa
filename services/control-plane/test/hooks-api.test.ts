import { HookOrderResponseWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { declarativeHook } from "./third-party-manifests.js";

describe("GET /v1/hooks", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("hooks");
  });
  afterAll(() => server.stop());

  const order = async () => {
    const response = await server.request("GET", "/v1/hooks");
    expect(response.status).toBe(200);
    const { rings } = HookOrderResponseWireSchema.parse(await response.json());
    return Object.fromEntries(
      Object.entries(rings).map(([ring, hooks]) => [ring, hooks.map((hook) => hook.id)]),
    );
  };
  const install = async (manifest: Record<string, unknown>) => {
    const response = await server.request("POST", "/v1/plugins", { body: { manifest } });
    expect(response.status).toBe(201);
  };

  it("starts the first-party hooks disabled, and lists them in their rings once enabled", async () => {
    expect(await order()).toEqual({
      ingress: [],
      pre_flight: [],
      routing: [],
      post_flight: [],
      background: [],
    });
    for (const id of ["hook.rate-limit", "hook.pii-redactor"]) {
      const enabled = await server.request("POST", `/v1/plugins/${id}/enable`, { body: {} });
      expect(enabled.status).toBe(200);
    }
    expect(await order()).toEqual({
      ingress: [],
      pre_flight: ["hook.rate-limit"],
      routing: [],
      post_flight: ["hook.pii-redactor"],
      background: [],
    });
  });

  it("orders by priority, then id, then moves a hook only as far as its constraints say", async () => {
    await install({ ...declarativeHook("hook.zeta-trace"), ring: "pre_flight", priority: 5 });
    await install({ ...declarativeHook("hook.alpha-trace"), ring: "pre_flight", priority: 5 });
    expect((await order()).pre_flight).toEqual([
      "hook.alpha-trace",
      "hook.zeta-trace",
      "hook.rate-limit",
    ]);
    await install({
      ...declarativeHook("hook.late-trace"),
      ring: "pre_flight",
      priority: 1,
      after: ["hook.rate-limit"],
    });
    expect((await order()).pre_flight).toEqual([
      "hook.alpha-trace",
      "hook.zeta-trace",
      "hook.rate-limit",
      "hook.late-trace",
    ]);
  });

  it("leaves disabled hooks out and brings them back when enabled", async () => {
    const toggle = (enabled: boolean) =>
      server.request("PATCH", "/v1/plugins/hook.rate-limit", { body: { enabled } });
    expect((await toggle(false)).status).toBe(200);
    expect((await order()).pre_flight).not.toContain("hook.rate-limit");
    expect((await toggle(true)).status).toBe(200);
    expect((await order()).pre_flight).toContain("hook.rate-limit");
  });

  it("refuses a hook whose constraints would close a cycle, naming the constraint", async () => {
    const response = await server.request("POST", "/v1/plugins", {
      body: {
        manifest: {
          ...declarativeHook("hook.loop-trace"),
          ring: "pre_flight",
          before: ["hook.rate-limit"],
          after: ["hook.late-trace"],
        },
      },
    });
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain("hook_order_cycle");
    expect((await order()).pre_flight).not.toContain("hook.loop-trace");
  });
});
