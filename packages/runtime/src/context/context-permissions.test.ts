import { describe, expect, it } from "vitest";
import { contextFixture, refusal } from "./testing/context-fixture.js";

describe("permissions", () => {
  it("refuses every member its grants do not cover, naming the permission", async () => {
    const { context } = contextFixture({ granted: [] });
    const denied = (permission: string, operation: string) => ({
      code: "permission_denied",
      message: `${operation} needs the permission "${permission}", which plugin "connector.crm" was not granted`,
    });
    expect(await refusal(() => context.storage.get("k"))).toEqual(
      denied("storage:read", "storage.get"),
    );
    expect(await refusal(() => context.storage.set("k", 1))).toEqual(
      denied("storage:write", "storage.set"),
    );
    expect(await refusal(() => context.storage.delete("k"))).toEqual(
      denied("storage:write", "storage.delete"),
    );
    expect(await refusal(() => context.storage.list())).toEqual(
      denied("storage:read", "storage.list"),
    );
    expect(await refusal(() => context.data.query("contacts"))).toEqual(
      denied("data:read:contacts", "data.query"),
    );
    expect(await refusal(() => context.data.put("contacts", { id: "1" }))).toEqual(
      denied("data:write:contacts", "data.put"),
    );
    expect(await refusal(() => context.events.publish("crm.synced", {}))).toEqual(
      denied("event:publish:crm.synced", "events.publish"),
    );
    expect(await refusal(() => context.events.subscribe("crm.*", () => {}))).toEqual(
      denied("event:subscribe:crm.*", "events.subscribe"),
    );
    expect(
      await refusal(() => context.http.request({ url: "https://api.crm.example/v1" })),
    ).toEqual(denied("network:outbound:api.crm.example", "http.request"));
  });

  it("never grants a permission the manifest did not ask for", async () => {
    const { context } = contextFixture({ granted: ["storage:read", "data:read:invoices"] });
    await expect(context.storage.get("k")).resolves.toBeUndefined();
    expect((await refusal(() => context.data.get("invoices", "1"))).code).toBe("permission_denied");
  });

  it("reads grants with the SDK's grammar: wildcards, ports and a trailing dot", async () => {
    const { context, sent } = contextFixture();
    await expect(context.events.publish("crm.contact", {})).resolves.toBeUndefined();
    expect((await refusal(() => context.events.publish("crm.contact.created", {}))).code).toBe(
      "permission_denied",
    );
    await expect(
      context.http.request({ url: "https://API.CRM.example./v1" }),
    ).resolves.toMatchObject({
      status: 201,
    });
    expect(sent).toHaveLength(1);
    expect(
      (await refusal(() => context.http.request({ url: "https://api.crm.example:444/" }))).message,
    ).toContain('"network:outbound:api.crm.example:444"');
    expect(
      (await refusal(() => context.http.request({ url: "https://api.crm.example@evil.example/" })))
        .message,
    ).toContain('"network:outbound:evil.example"');
  });

  it("fails as unavailable when the host provides no such service", async () => {
    const { context } = contextFixture({ services: { data: undefined } });
    expect(await refusal(() => context.data.get("contacts", "1"))).toEqual({
      code: "unavailable",
      message: "data.get: this host provides no data service",
    });
  });
});
