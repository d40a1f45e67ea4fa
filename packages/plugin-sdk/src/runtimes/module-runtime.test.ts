import { describe, expect, it } from "vitest";
import { ModuleRuntimeSchema } from "./module-runtime.js";

describe("ModuleRuntimeSchema", () => {
  it.each(["dist/index.js", "index.mjs", "lib/plugin.cjs", "./dist/index.js", "dist/v1.2/main.js"])(
    "accepts the entry %s inside the package",
    (entry) => {
      expect(ModuleRuntimeSchema.safeParse({ type: "module", entry }).success).toBe(true);
    },
  );

  it.each([
    ["a parent directory", "../index.js"],
    ["a parent directory further in", "dist/../../index.js"],
    ["a path ending in a parent directory", "dist/.."],
    ["an absolute path", "/srv/plugin/index.js"],
    ["a Windows path", "dist\\index.js"],
    ["a TypeScript source", "src/index.ts"],
    ["a URL", "https://cdn.example.com/plugin.js"],
    ["no file name", ".js"],
    ["an empty string", ""],
  ])("rejects an entry with %s", (_label, entry) => {
    const result = ModuleRuntimeSchema.safeParse({ type: "module", entry });
    expect(result.success).toBe(false);
  });

  it("names what an entry must look like", () => {
    const result = ModuleRuntimeSchema.safeParse({ type: "module", entry: "../index.js" });
    expect(result.error?.issues[0]?.message).toBe(
      "expected a relative path to a .js, .mjs or .cjs file inside the package, such as dist/index.js",
    );
  });
});
