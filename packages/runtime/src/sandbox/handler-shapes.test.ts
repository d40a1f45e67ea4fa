import type { PluginKind } from "@plugboard/plugin-sdk";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type REQUIRED_HANDLERS,
  type RequiredHandler,
  requiredHandlers,
  resultSchema,
} from "./handler-shapes.js";

type Listed<K extends PluginKind> = (typeof REQUIRED_HANDLERS)[K][number];
/** The required handlers of each kind that the table leaves out; never when it lists all. */
type Missing = { [K in PluginKind]: Exclude<RequiredHandler<K>, Listed<K>> }[PluginKind];

describe("handler shapes", () => {
  it("lists every handler the SDK's handler types make required, for every kind", () => {
    expectTypeOf<Missing>().toEqualTypeOf<never>();
    expectTypeOf<RequiredHandler<"hook">>().toEqualTypeOf<"run">();
    expectTypeOf<RequiredHandler<"channel">>().toEqualTypeOf<never>();
  });

  it("requires nothing of a kind a host registered", () => {
    expect(requiredHandlers("fax_gateway")).toEqual([]);
    expect(requiredHandlers("connector")).toEqual(["sync", "mapToEntities"]);
    expect(requiredHandlers("toString")).toEqual([]);
  });

  it.each<[string, string, unknown, unknown]>([
    ["hook", "run", { action: "passthrough" }, { action: "explode" }],
    ["hook", "probe", { healthy: true }, { healthy: "yes" }],
    ["connection_provider", "testConnection", { healthy: false, message: "no" }, {}],
    [
      "ingress_adapter",
      "normalize",
      [{ routeKind: "chat", eventId: "e1", data: { a: 1 } }],
      [{ routeKind: "chat", data: {} }],
    ],
    [
      "action_executor",
      "execute",
      { status: "failed", retryable: true, message: "later" },
      { status: "done" },
    ],
    [
      "worker_pack",
      "handleRouteEvent",
      { workItems: [{ kind: "task", title: "t", body: null }], actionRequests: [] },
      { workItems: [] },
    ],
    ["channel", "sendMessage", { jobId: "j1", status: "queued" }, { jobId: "j1", status: "sent" }],
    ["channel", "getStatus", { jobId: "j1", status: "succeeded" }, { jobId: "", status: "queued" }],
    ["connector", "sync", [{ id: "1", data: {} }], [{ data: {} }]],
    [
      "connector",
      "mapToEntities",
      [{ entity: "contact", record: { id: "c1", name: "Ada" } }],
      [{ entity: "contact", record: { name: "Ada" } }],
    ],
    ["rule_operator", "conditions", true, "true"],
  ])("checks what %s's %s returns against the SDK's schema", (kind, handler, good, bad) => {
    const schema = resultSchema(kind, handler);
    expect(schema?.safeParse(good).success).toBe(true);
    expect(schema?.safeParse(bad).success).toBe(false);
  });

  it("checks as JSON only what handlers typed void return, and names that are not handlers", () => {
    expect(resultSchema("rule_operator", "actions")).toBeUndefined();
    expect(resultSchema("channel", "handleIncomingEvent")).toBeUndefined();
    expect(resultSchema("hook", "stop")).toBeUndefined();
    expect(resultSchema("hook", "constructor")).toBeUndefined();
    expect(resultSchema("fax_gateway", "send")).toBeUndefined();
  });
});
