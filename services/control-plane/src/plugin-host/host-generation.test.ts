import { piiRedactorHook, rateLimitHook } from "@plugboard/plugin-manifests";
import type { HookManifest } from "@plugboard/plugin-sdk";
import type { Hook, HookPipelineError } from "@plugboard/runtime";
import { describe, expect, it } from "vitest";
import { createGenerationBuilder, type GenerationParts } from "./host-generation.js";
import type { NativeHookState } from "./native-hooks.js";

const input = { method: "POST", path: "/actions/send", headers: {}, body: { note: "hi" } };

function ready(manifest: HookManifest, invoke: Hook["invoke"]): NativeHookState {
  return { manifest, fingerprint: "1", hook: { manifest, invoke } };
}

function partsWith(natives: readonly NativeHookState[], wanted = natives.map((n) => n.manifest)) {
  return {
    natives: new Map(natives.map((state) => [state.manifest.id, state])),
    wanted,
    blocked: new Map(),
    failed: new Map(),
  } satisfies GenerationParts;
}

function builder() {
  const problems: HookPipelineError[] = [];
  return {
    problems,
    build: createGenerationBuilder({
      onFailure: () => {},
      onOrderProblem: (error) => problems.push(error),
    }).build,
  };
}

describe("building a generation's hook pipeline", () => {
  it("stops traffic at a fail-closed native hook whose setup failed, rather than dropping it", async () => {
    const failed: NativeHookState = {
      manifest: piiRedactorHook,
      fingerprint: "1",
      failure: { code: "setup_failed", message: "its setup failed: bad pattern", at: "" },
    };
    const { build } = builder();
    const generation = build(new Map(), partsWith([failed]), undefined);
    expect(generation.pipeline.order.post_flight.map((hook) => hook.id)).toEqual([
      piiRedactorHook.id,
    ]);
    const outcome = await generation.pipeline.run("post_flight", input);
    expect(outcome).toMatchObject({
      outcome: "fail",
      hookId: piiRedactorHook.id,
      failure: "crash",
    });
    expect(outcome.outcome === "fail" ? outcome.message : "").toContain(
      "is not running: its setup failed: bad pattern",
    );
  });

  it("carries a hook's counters and breaker into the next generation while its hook is the same", async () => {
    let fail = true;
    const limiter = ready(rateLimitHook, () => {
      if (fail) throw new Error("down");
      return { action: "passthrough" };
    });
    const { build } = builder();
    const first = build(new Map(), partsWith([limiter]), undefined);
    for (let i = 0; i < 5; i++) await first.pipeline.run("pre_flight", input);
    const second = build(new Map(), partsWith([limiter]), first);
    fail = false;
    await second.pipeline.run("pre_flight", input);
    expect(second.pipeline.stats()[0]).toMatchObject({
      calls: 5,
      bypasses: 6,
      breakerSkips: 1,
      breaker: { state: "open" },
    });
    const replaced = ready(rateLimitHook, () => ({ action: "passthrough" }));
    const third = build(new Map(), partsWith([replaced]), second);
    expect(third.pipeline.stats()[0]).toMatchObject({ calls: 0, breaker: { state: "closed" } });
  });

  it("fails every hook of a ring that cannot be ordered, by its fail mode, and leaves other rings alone", async () => {
    const closed: HookManifest = {
      ...rateLimitHook,
      id: "hook.acme-a",
      failMode: "closed",
      before: ["hook.acme-b"],
    };
    const open: HookManifest = {
      ...rateLimitHook,
      id: "hook.acme-b",
      failMode: "open",
      priority: 1,
      before: ["hook.acme-a"],
    };
    const calls: string[] = [];
    const pass = (id: string) => () => {
      calls.push(id);
      return { action: "passthrough" as const };
    };
    const { build, problems } = builder();
    const generation = build(
      new Map(),
      partsWith([
        ready(closed, pass("a")),
        ready(open, pass("b")),
        ready(piiRedactorHook, pass("redactor")),
      ]),
      undefined,
    );
    expect(problems).toHaveLength(1);
    expect([...generation.unordered.keys()].sort()).toEqual(["hook.acme-a", "hook.acme-b"]);
    const outcome = await generation.pipeline.run("pre_flight", input);
    expect(outcome).toMatchObject({ outcome: "fail", hookId: "hook.acme-a" });
    expect(generation.pipeline.stats().find((entry) => entry.id === "hook.acme-b")).toMatchObject({
      bypasses: 1,
      failures: { crash: 1 },
    });
    expect(await generation.pipeline.run("post_flight", input)).toMatchObject({
      outcome: "continue",
    });
    expect(calls).toEqual(["redactor"]);
  });
});
