import type { HookManifest } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { HookPipelineError } from "./hook-errors.js";
import { type HookFields, hookManifest } from "./hook-test-kit.js";
import { describeHookOrder, resolveHookOrder } from "./resolve-hook-order.js";

const hook = (id: string, priority: number, fields: HookFields = {}) =>
  hookManifest(id, { priority, ...fields });
const ids = (hooks: readonly HookManifest[]) => hooks.map((h) => h.id);

function orderError(manifests: HookManifest[]): HookPipelineError {
  try {
    resolveHookOrder(manifests);
  } catch (error) {
    if (error instanceof HookPipelineError) return error;
    throw error;
  }
  throw new Error("expected the order to be rejected");
}

describe("resolveHookOrder", () => {
  it("runs a ring's hooks by ascending priority and breaks a tie by id", () => {
    const order = resolveHookOrder([
      hook("hook.zeta", 10),
      hook("hook.late", 900),
      hook("hook.alpha", 10),
      hook("hook.first", 1),
    ]);
    expect(ids(order.pre_flight)).toEqual(["hook.first", "hook.alpha", "hook.zeta", "hook.late"]);
  });

  it("gives the same order whatever order the hooks are listed in", () => {
    const hooks = [hook("hook.b", 5), hook("hook.a", 5), hook("hook.c", 1, { after: ["hook.b"] })];
    const expected = ids(resolveHookOrder(hooks).pre_flight);
    expect(ids(resolveHookOrder([...hooks].reverse()).pre_flight)).toEqual(expected);
    expect(expected).toEqual(["hook.a", "hook.b", "hook.c"]);
  });

  it("puts each hook in its own ring and keeps every ring", () => {
    const order = resolveHookOrder([
      hook("hook.edge", 1, { ring: "ingress" }),
      hook("hook.route", 1, { ring: "routing" }),
      hook("hook.audit", 1, { ring: "background" }),
    ]);
    expect(Object.keys(order)).toEqual([
      "ingress",
      "pre_flight",
      "routing",
      "post_flight",
      "background",
    ]);
    expect(ids(order.ingress)).toEqual(["hook.edge"]);
    expect(ids(order.routing)).toEqual(["hook.route"]);
    expect(ids(order.background)).toEqual(["hook.audit"]);
    expect(order.pre_flight).toEqual([]);
  });

  it("moves a hook ahead of another it must run before, against priority", () => {
    const order = resolveHookOrder([
      hook("hook.auth", 10),
      hook("hook.trace", 500, { before: ["hook.auth"] }),
    ]);
    expect(ids(order.pre_flight)).toEqual(["hook.trace", "hook.auth"]);
  });

  it("moves a hook behind another it must run after, against priority", () => {
    const order = resolveHookOrder([
      hook("hook.auth", 10, { after: ["hook.trace"] }),
      hook("hook.cache", 100),
      hook("hook.trace", 150),
    ]);
    expect(ids(order.pre_flight)).toEqual(["hook.cache", "hook.trace", "hook.auth"]);
  });

  it("ignores a constraint naming a hook that is not installed", () => {
    const order = resolveHookOrder([hook("hook.a", 2, { before: ["hook.missing"] })]);
    expect(ids(order.pre_flight)).toEqual(["hook.a"]);
  });

  it("rejects a cycle, naming the hooks round it in order", () => {
    const error = orderError([
      hook("hook.a", 1, { before: ["hook.b"] }),
      hook("hook.b", 1, { before: ["hook.c"] }),
      hook("hook.c", 1, { before: ["hook.a"] }),
      hook("hook.free", 1),
    ]);
    expect(error.code).toBe("PLUGBOARD_HOOK_ORDER_INVALID");
    expect(error.status).toBe(422);
    expect(error.message).toContain("cycle: hook.a → hook.b → hook.c → hook.a");
    expect(error.problems.map((p) => [p.manifestId, p.path])).toEqual([
      ["hook.a", "before[0]"],
      ["hook.b", "before[0]"],
      ["hook.c", "before[0]"],
    ]);
  });

  it("names a cycle made of before and after constraints", () => {
    const error = orderError([
      hook("hook.a", 1, { after: ["hook.b"] }),
      hook("hook.b", 1, { after: ["hook.a"] }),
    ]);
    expect(error.message).toContain("cycle: hook.a → hook.b → hook.a");
  });

  it("names every separate cycle", () => {
    const error = orderError([
      hook("hook.a", 1, { before: ["hook.b"] }),
      hook("hook.b", 1, { before: ["hook.a"] }),
      hook("hook.x", 1, { ring: "routing", before: ["hook.y"] }),
      hook("hook.y", 1, { ring: "routing", before: ["hook.x"] }),
    ]);
    expect(error.message).toContain("cycle: hook.a → hook.b → hook.a");
    expect(error.message).toContain("cycle: hook.x → hook.y → hook.x");
  });

  it("rejects a constraint on a hook of another ring, naming the field", () => {
    const error = orderError([
      hook("hook.audit", 1, { ring: "post_flight", before: ["hook.auth"] }),
      hook("hook.auth", 1),
    ]);
    expect(error.code).toBe("PLUGBOARD_HOOK_ORDER_INVALID");
    expect(error.message).toContain("hook.audit before[0]");
    expect(error.message).toContain("order constraints apply within one ring");
  });

  it("rejects two hooks with the same id", () => {
    const error = orderError([hook("hook.a", 1), hook("hook.a", 2)]);
    expect(error.code).toBe("PLUGBOARD_HOOK_ID_DUPLICATE");
    expect(error.message).toContain('"hook.a"');
  });
});

describe("describeHookOrder", () => {
  it("shows each ring's hooks in order with the fields that placed them", () => {
    const view = describeHookOrder(
      resolveHookOrder([
        hook("hook.auth", 10, { failMode: "closed", timeoutMs: 20 }),
        hook("hook.trace", 500, { before: ["hook.auth"] }),
      ]),
    );
    expect(view.rings.pre_flight).toEqual([
      {
        id: "hook.trace",
        version: "1.0.0",
        priority: 500,
        timeoutMs: 50,
        failMode: "open",
        before: ["hook.auth"],
        after: [],
      },
      {
        id: "hook.auth",
        version: "1.0.0",
        priority: 10,
        timeoutMs: 20,
        failMode: "closed",
        before: [],
        after: [],
      },
    ]);
    expect(view.rings.ingress).toEqual([]);
  });
});
