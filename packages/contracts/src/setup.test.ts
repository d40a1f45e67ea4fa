import { describe, expect, it } from "vitest";
import { PluginSetupSchema, PluginSetupWireSchema } from "./setup.js";
import { toWire } from "./wire-case.js";

describe("setup progress on the wire", () => {
  it("spells a setup step's manifest fields and status fields in snake_case", () => {
    const setup = {
      pluginId: "provider.smtp-relay",
      kind: "connection_provider" as const,
      displayName: "SMTP Relay",
      enabled: true,
      completed: 1,
      total: 1,
      steps: [
        {
          id: "smtp-verify",
          title: "Verify",
          description: "Verify the relay.",
          ctaLabel: "Verify relay",
          target: { surface: "workers" as const, workerKind: "follow_up" },
          status: "done" as const,
          source: "manual" as const,
          updatedAt: "2025-01-07T10:00:00.000Z",
          updatedBy: "admin",
        },
      ],
    };
    const wire = toWire(PluginSetupSchema, setup);
    expect(wire.steps[0]).toMatchObject({
      cta_label: "Verify relay",
      target: { worker_kind: "follow_up" },
      updated_by: "admin",
    });
    expect(PluginSetupWireSchema.parse(wire)).toEqual(wire);
  });
});
