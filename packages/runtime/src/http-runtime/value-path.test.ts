import type { JsonValue } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { formatValuePath, parseValuePath, readValuePath } from "./value-path.js";

function read(root: Parameters<typeof readValuePath>[0], path: string) {
  return readValuePath(root, parseValuePath(path) ?? []);
}

describe("parseValuePath", () => {
  it("splits a path into name and index steps", () => {
    expect(parseValuePath("items[0].status")).toStrictEqual([
      { kind: "key", key: "items" },
      { kind: "index", index: 0 },
      { kind: "key", key: "status" },
    ]);
  });

  it.each(["", ".a", "a.", "a[]", "a[-1]", "a b", "a['b']", "a..b", "0a"])(
    "refuses the malformed path %j",
    (path) => {
      expect(parseValuePath(path)).toBeUndefined();
    },
  );

  it("writes steps back as the author wrote them", () => {
    expect(formatValuePath(parseValuePath("data.items[12].id") ?? [])).toBe("data.items[12].id");
  });
});

describe("readValuePath", () => {
  const body = { data: { id: "f-1", items: [{ status: "sent" }], empty: null } };

  it("reads nested names and indexes", () => {
    expect(read(body, "data.id")).toStrictEqual({ found: true, value: "f-1" });
    expect(read(body, "data.items[0].status")).toStrictEqual({ found: true, value: "sent" });
    expect(read(body, "data.empty")).toStrictEqual({ found: true, value: null });
  });

  it("names the first absent step", () => {
    expect(read(body, "data.items[3].status")).toStrictEqual({
      found: false,
      missing: "data.items[3]",
    });
    expect(read(body, "data.id.length")).toStrictEqual({ found: false, missing: "data.id.length" });
  });

  it("never reads through a prototype", () => {
    for (const path of [
      "data.__proto__",
      "data.constructor",
      "data.toString",
      "data.items.length",
      "data.__proto__.polluted",
    ]) {
      expect(read(body, path), path).toMatchObject({ found: false });
    }
  });

  it("reads a __proto__ key that the value itself holds", () => {
    const parsed = JSON.parse('{"__proto__": {"x": 1}}');
    expect(read(parsed, "__proto__.x")).toStrictEqual({ found: true, value: 1 });
  });

  it("does not treat an array's index as a name or a name as an index", () => {
    expect(read({ a: { "0": "zero" } }, "a[0]")).toMatchObject({ found: false });
    expect(read({ a: ["zero"] }, "a.length")).toMatchObject({ found: false });
  });

  it("skips holes in an array and runs no getter", () => {
    let ran = false;
    const withGetter = Object.defineProperty({}, "secret", {
      enumerable: true,
      get: () => {
        ran = true;
        return "x";
      },
    });
    const holes: JsonValue[] = [];
    holes[1] = "b";
    expect(read({ holes }, "holes[0]")).toMatchObject({ found: false });
    expect(read({ value: withGetter }, "value.secret")).toMatchObject({ found: false });
    expect(ran).toBe(false);
  });
});
