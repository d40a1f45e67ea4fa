import { describe, expect, expectTypeOf, it } from "vitest";
import { defineHook, type Hook, HookInvocationError } from "./hook.js";
import { createHookPipeline } from "./hook-pipeline.js";
import { hookManifest, sampleInput } from "./hook-test-kit.js";

describe("defineHook", () => {
  it("returns the hook it was given and calls nothing", () => {
    let called = false;
    const hook = {
      manifest: hookManifest("hook.tag"),
      invoke: () => {
        called = true;
        return { action: "passthrough" } as const;
      },
    };
    expect(defineHook(hook)).toBe(hook);
    expect(called).toBe(false);
  });

  it("types an in-process hook's results and fits where a pipeline takes a hook", () => {
    const hook = defineHook({
      manifest: hookManifest("hook.tag"),
      invoke: async (request) => ({ action: "modify", headers: { ...request.headers, x: "1" } }),
    });
    expectTypeOf(hook).toExtend<Hook>();
    defineHook({
      manifest: hookManifest("hook.bad"),
      // @ts-expect-error a block needs a status, a type and a message
      invoke: () => ({ action: "block" }),
    });
    defineHook({
      manifest: hookManifest("hook.bad"),
      // @ts-expect-error "drop" is not a result action
      invoke: () => ({ action: "drop" }),
    });
  });
});

describe("HookInvocationError", () => {
  it("reports a crash even when the invoker throws it synchronously", async () => {
    const crashing: Hook = {
      manifest: hookManifest("hook.crashing", { failMode: "closed" }),
      invoke: () => {
        throw new HookInvocationError("crash", "isolate disposed");
      },
    };
    const outcome = await createHookPipeline([crashing]).run("pre_flight", sampleInput);
    expect(outcome).toMatchObject({ outcome: "fail", failure: "crash" });
  });
});
