import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { HookResult } from "./handlers.js";
import { HookResultSchema } from "./hook-result.js";

const accepts = (value: unknown) => HookResultSchema.safeParse(value).success;

/** zod types an optional field as `T | undefined`; the handler types leave `undefined` out. */
type WithoutUndefined<T> = T extends unknown ? { [K in keyof T]: Exclude<T[K], undefined> } : never;

describe("HookResultSchema", () => {
  it("agrees with the HookResult type in both directions", () => {
    expectTypeOf<HookResult>().toExtend<z.input<typeof HookResultSchema>>();
    expectTypeOf<WithoutUndefined<z.output<typeof HookResultSchema>>>().toExtend<HookResult>();
  });

  it.each<[string, HookResult]>([
    ["a bare passthrough", { action: "passthrough" }],
    ["a passthrough with metadata", { action: "passthrough", metadata: { "hook.a": { n: 1 } } }],
    ["a modify of body and headers", { action: "modify", body: [1, "a"], headers: { a: "b" } }],
    ["a block", { action: "block", status: 429, type: "rate_limited", message: "slow down" }],
    ["a respond", { action: "respond", status: 200, body: { cached: true } }],
  ])("accepts %s", (_, value) => {
    expect(accepts(value)).toBe(true);
  });

  it.each<[string, unknown]>([
    ["an unknown action", { action: "drop" }],
    ["a passthrough with an extra field", { action: "passthrough", body: 1 }],
    ["a block with a success status", { action: "block", status: 200, type: "x", message: "" }],
    ["a block without a type", { action: "block", status: 403, type: "", message: "no" }],
    ["a respond without a body", { action: "respond", status: 200 }],
    ["a modify with a number header", { action: "modify", headers: { a: 1 } }],
    ["a body holding a function", { action: "modify", body: { f: () => 1 } }],
    ["a string", "passthrough"],
    ["null", null],
  ])("rejects %s", (_, value) => {
    expect(accepts(value)).toBe(false);
  });

  it("rejects a body that contains itself", () => {
    const body: Record<string, unknown> = { a: 1 };
    body.self = body;
    expect(accepts({ action: "respond", status: 200, body })).toBe(false);
  });
});
