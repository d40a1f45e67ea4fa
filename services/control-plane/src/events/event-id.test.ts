import { describe, expect, it } from "vitest";
import { newEventId } from "./event-id.js";

describe("event ids", () => {
  it("are version 7 UUIDs carrying the time they were made", () => {
    const at = Date.UTC(2025, 2, 1, 12, 0, 0, 123);
    const id = newEventId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace("-", "").slice(0, 12), 16)).toBe(at);
  });

  it("sort in the order they were made, and differ within a millisecond", () => {
    const ids = [1, 2, 3, 1000, 1_000_000].map((ms) => newEventId(1_740_000_000_000 + ms));
    expect([...ids].sort()).toEqual(ids);
    expect(newEventId(1)).not.toBe(newEventId(1));
  });
});
