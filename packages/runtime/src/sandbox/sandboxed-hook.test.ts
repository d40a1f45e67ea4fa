import type { HookManifest } from "@plugboard/plugin-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { createHookPipeline, type HookFailureEvent } from "../hooks/hook-pipeline.js";
import { hookManifest, sampleInput } from "../hooks/hook-test-kit.js";
import { instanceSandbox } from "../lifecycle/instance-sandbox.js";
import { createPluginInstance } from "../lifecycle/plugin-instance.js";
import { answeringSpec, createTestSandboxes } from "../lifecycle/testing/lifecycle-fixtures.js";
import { createIsolateSandbox } from "./isolate-sandbox.js";
import type { Sandbox } from "./sandbox.js";
import { sandboxedHook } from "./sandboxed-hook.js";
import { createFixtureHost, pluginSource, TEST_LIMITS } from "./testing/plugin-fixtures.js";

const open: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of open.splice(0)) sandbox.dispose();
});

function hook(
  manifest: HookManifest,
  setupBody: string,
  cpuTimeMs: number = TEST_LIMITS.cpuTimeMs,
) {
  const host = createFixtureHost({ manifest });
  const sandbox = createIsolateSandbox({
    manifest,
    source: pluginSource(setupBody, { id: manifest.id }),
    context: host.context,
    limits: { ...TEST_LIMITS, cpuTimeMs, dispatch: "inline" },
  });
  open.push(sandbox);
  return { hook: sandboxedHook(manifest, sandbox), sandbox };
}

describe("a sandboxed hook in the hook pipeline", () => {
  it("modifies the request and writes metadata under its own id", async () => {
    const { hook: stamp } = hook(
      hookManifest("hook.stamp"),
      `return { run: (request) => ({ action: "modify", headers: { ...request.headers, "x-stamp": "1" }, metadata: { "hook.stamp": { at: request.path } } }) };`,
    );
    const outcome = await createHookPipeline([stamp]).run("pre_flight", sampleInput);
    expect(outcome).toMatchObject({
      outcome: "continue",
      request: {
        headers: { "content-type": "application/json", "x-stamp": "1" },
        metadata: { "hook.stamp": { at: "/v1/orders" } },
      },
    });
  });

  it.each([
    ["a throw", `return { run() { throw new Error("nope"); } };`, "rejection", 1],
    ["a loop", `return { run() { for (;;) {} } };`, "timeout", 1],
    ["a hang past timeoutMs", `return { run: () => new Promise(() => {}) };`, "timeout", 1],
    // The pipeline checks results itself: to the sandbox, the call succeeded.
    ["a bad result", `return { run: () => ({ action: "explode" }) };`, "bad_result", 0],
    [
      "memory growth",
      `return { run() { const a = []; for (;;) a.push(new Array(1e5).fill(1)); } };`,
      "crash",
      1,
    ],
  ])("applies a fail-closed hook's failMode to %s", async (_case, setupBody, kind, errors) => {
    const failures: HookFailureEvent[] = [];
    // Memory growth must meet the memory limit before any time limit.
    const slow = kind === "crash";
    const { hook: failing, sandbox } = hook(
      hookManifest("hook.guard", { failMode: "closed", timeoutMs: slow ? 10_000 : 200 }),
      setupBody,
      slow ? 10_000 : TEST_LIMITS.cpuTimeMs,
    );
    const pipeline = createHookPipeline([failing], { onFailure: (event) => failures.push(event) });
    const outcome = await pipeline.run("pre_flight", sampleInput);
    expect(outcome).toMatchObject({ outcome: "fail", hookId: "hook.guard", failure: kind });
    expect(failures.map((failure) => failure.kind)).toEqual([kind]);
    expect(sandbox.health().errors).toBe(errors);
  });

  it("stops a fail-closed hook's loop at its timeoutMs when that is below cpuTimeMs", async () => {
    const { hook: looping, sandbox } = hook(
      hookManifest("hook.guard", { failMode: "closed", timeoutMs: 100 }),
      `return { run() { for (;;) {} } };`,
      3_000,
    );
    const started = performance.now();
    const outcome = await createHookPipeline([looping]).run("pre_flight", sampleInput);
    expect(outcome).toMatchObject({ outcome: "fail", hookId: "hook.guard", failure: "timeout" });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(sandbox.health().lastError).toMatchObject({
      code: "timeout",
      message: "the call did not settle within its wall-clock limit of 100 ms",
    });
  });

  it("counts a call to a plugin instance that is not running as a crash", async () => {
    const sandboxes = createTestSandboxes();
    const spec = answeringSpec("hook.unstarted", "1.0.0", {
      manifest: { ring: "pre_flight", failMode: "closed", timeoutMs: 200 },
      setup: `throw new Error("setup refuses");`,
    });
    const instance = createPluginInstance({ spec, createSandbox: sandboxes.createSandbox });
    expect(await instance.start()).toBe("failed");
    const pipeline = createHookPipeline([sandboxedHook(spec.manifest, instanceSandbox(instance))]);
    const outcome = await pipeline.run("pre_flight", sampleInput);
    expect(outcome).toMatchObject({ outcome: "fail", hookId: "hook.unstarted", failure: "crash" });
    await instance.stop();
  });
});
