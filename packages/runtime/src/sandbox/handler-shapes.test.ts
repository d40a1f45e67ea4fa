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

  it("checks results only where the SDK declares a schema", () => {
    expect(resultSchema("hook", "run")?.safeParse({ action: "passthrough" }).success).toBe(true);
    expect(resultSchema("hook", "probe")).toBeUndefined();
    expect(resultSchema("action_executor", "execute")).toBeUndefined();
    expect(resultSchema("hook", "constructor")).toBeUndefined();
  });
});
