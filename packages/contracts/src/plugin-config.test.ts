import { describe, expect, it } from "vitest";
import {
  ConfigWriteRequestSchema,
  ConfigWriteRequestWireSchema,
  PluginConfigSchema,
  PluginConfigWireSchema,
} from "./plugin-config.js";
import { fromWire, parseWire, toWire } from "./wire-case.js";

const config = {
  maxRequests: 60,
  keyBy: "api_key",
  nested: { someValue: [{ innerKey: true }] },
};

describe("plugin config on the wire", () => {
  it("keeps a config's own key spelling in both directions, however deep", () => {
    const current = {
      pluginId: "hook.rate-limit",
      revision: 3,
      config,
      updatedAt: "2025-01-07T10:00:00.000Z",
      updatedBy: "admin",
      restoredFrom: null,
    };
    const wire = toWire(PluginConfigSchema, current);
    expect(wire).toEqual({
      plugin_id: "hook.rate-limit",
      revision: 3,
      config,
      updated_at: "2025-01-07T10:00:00.000Z",
      updated_by: "admin",
      restored_from: null,
    });
    expect(fromWire(PluginConfigSchema, PluginConfigWireSchema.parse(wire))).toEqual(current);
    expect(parseWire(ConfigWriteRequestSchema, { config })).toEqual({ config });
  });

  it("refuses a config that is not an object of JSON values", () => {
    for (const bad of [[1], "x", null, { a: undefined }, { a: () => 1 }]) {
      expect(ConfigWriteRequestWireSchema.safeParse({ config: bad }).success).toBe(false);
    }
  });
});
