import { describe, expect, it, vi } from "vitest";
import { hookExample } from "../testing/example-manifests.js";
import { definePlugin } from "./define-plugin.js";

describe("definePlugin", () => {
  it("returns the definition it was given, unchanged", () => {
    const definition = {
      manifest: hookExample,
      setup: () => ({ run: () => ({ action: "passthrough" as const }) }),
    };
    expect(definePlugin(definition)).toBe(definition);
  });

  it("does not call setup: nothing runs until a host loads the plugin", () => {
    const setup = vi.fn(() => ({ run: () => ({ action: "passthrough" as const }) }));
    definePlugin({ manifest: hookExample, setup });
    expect(setup).not.toHaveBeenCalled();
  });
});
