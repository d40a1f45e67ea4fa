import { describe, expect, it } from "vitest";
import { createPluginContext } from "./plugin-context.js";
import { MANIFEST } from "./testing/context-fixture.js";

describe("plugin and config", () => {
  it("exposes the plugin's id and version and a frozen copy of its config", () => {
    const config = { region: "eu", fields: ["name"] };
    const context = createPluginContext({
      manifest: MANIFEST,
      config,
      services: { log: () => {} },
    });
    config.fields.push("email");
    expect(context.plugin).toEqual({ id: "connector.crm", version: "2.1.0" });
    expect(context.config).toEqual({ region: "eu", fields: ["name"] });
    expect(Object.isFrozen(context.config)).toBe(true);
    expect(Object.isFrozen(context.config.fields)).toBe(true);
  });
});
