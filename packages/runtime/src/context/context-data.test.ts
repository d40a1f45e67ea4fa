import { describe, expect, it } from "vitest";
import { contextFixture, refusal } from "./testing/context-fixture.js";

describe("data", () => {
  it("queries records of a granted entity type by field", async () => {
    const { context } = contextFixture();
    await context.data.put("contacts", { id: "c1", tier: "gold" });
    await context.data.put("contacts", { id: "c2", tier: "silver" });
    await expect(context.data.query("contacts", { tier: "gold" })).resolves.toEqual([
      { id: "c1", tier: "gold" },
    ]);
    await expect(context.data.get("contacts", "c2")).resolves.toEqual({ id: "c2", tier: "silver" });
    await expect(context.data.get("contacts", "c3")).resolves.toBeNull();
  });

  it("refuses a record without an id and a malformed entity type", async () => {
    const { context } = contextFixture();
    // @ts-expect-error: a record needs an id.
    expect((await refusal(() => context.data.put("contacts", { name: "x" }))).message).toBe(
      "data.put: the record must have a non-empty string id",
    );
    expect((await refusal(() => context.data.get("Contacts", "1"))).code).toBe("invalid_argument");
  });
});
