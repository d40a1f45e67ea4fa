import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HookManifest } from "../kinds/built-in-kinds.js";
import { hookExample } from "../testing/example-manifests.js";
import type { HookRing } from "../vocabulary.js";
import { orderHooks } from "./hook-order.js";

function hook(
  id: string,
  priority: number,
  extra: { ring?: HookRing; before?: string[]; after?: string[] } = {},
): HookManifest {
  return { ...hookExample, id, priority, ...extra };
}

function idsOf(hooks: readonly HookManifest[]): string[] {
  return hooks.map((h) => h.id);
}

describe("orderHooks", () => {
  it("runs hooks of a ring in ascending priority", () => {
    const { rings, problems } = orderHooks([
      hook("hook.c", 300),
      hook("hook.a", 100),
      hook("hook.b", 200),
    ]);
    expect(idsOf(rings.pre_flight)).toEqual(["hook.a", "hook.b", "hook.c"]);
    expect(problems).toEqual([]);
  });

  it("breaks a priority tie by id", () => {
    const { rings } = orderHooks([
      hook("hook.zeta", 5),
      hook("hook.alpha", 5),
      hook("hook.mid", 5),
    ]);
    expect(idsOf(rings.pre_flight)).toEqual(["hook.alpha", "hook.mid", "hook.zeta"]);
  });

  it("keeps every ring, empty or not, and puts each hook in its own ring", () => {
    const { rings } = orderHooks([
      hook("hook.route", 1, { ring: "routing" }),
      hook("hook.guard", 1, { ring: "ingress" }),
      hook("hook.late", 1, { ring: "background" }),
    ]);
    expect(
      Object.fromEntries(Object.entries(rings).map(([ring, hooks]) => [ring, idsOf(hooks)])),
    ).toEqual({
      ingress: ["hook.guard"],
      pre_flight: [],
      routing: ["hook.route"],
      post_flight: [],
      background: ["hook.late"],
    });
  });

  it("runs a hook declared before another ahead of it despite a higher priority number", () => {
    const { rings } = orderHooks([
      hook("hook.auth", 10),
      hook("hook.trace", 500, { before: ["hook.auth"] }),
    ]);
    expect(idsOf(rings.pre_flight)).toEqual(["hook.trace", "hook.auth"]);
  });

  it("runs a hook declared after another behind it despite a lower priority number", () => {
    const { rings } = orderHooks([
      hook("hook.auth", 10, { after: ["hook.trace"] }),
      hook("hook.trace", 500),
    ]);
    expect(idsOf(rings.pre_flight)).toEqual(["hook.trace", "hook.auth"]);
  });

  it("lets a constrained hook wait for its predecessor while unconstrained hooks keep priority order", () => {
    const { rings } = orderHooks([
      hook("hook.auth", 10, { after: ["hook.trace"] }),
      hook("hook.cache", 100),
      hook("hook.log", 200),
      hook("hook.trace", 150),
    ]);
    expect(idsOf(rings.pre_flight)).toEqual(["hook.cache", "hook.trace", "hook.auth", "hook.log"]);
  });

  it("follows a chain of constraints that runs against priority", () => {
    const { rings } = orderHooks([
      hook("hook.a", 300, { before: ["hook.b"] }),
      hook("hook.b", 200, { before: ["hook.c"] }),
      hook("hook.c", 100),
    ]);
    expect(idsOf(rings.pre_flight)).toEqual(["hook.a", "hook.b", "hook.c"]);
  });

  it("ignores constraints naming hooks that are not installed", () => {
    const { rings, problems } = orderHooks([
      hook("hook.b", 2, { before: ["hook.missing"] }),
      hook("hook.a", 1, { after: ["hook.gone"] }),
    ]);
    expect(idsOf(rings.pre_flight)).toEqual(["hook.a", "hook.b"]);
    expect(problems).toEqual([]);
  });

  it("leaves a self reference to the kind's own check and orders the hook normally", () => {
    const { rings, problems } = orderHooks([hook("hook.a", 1, { before: ["hook.a"] })]);
    expect(idsOf(rings.pre_flight)).toEqual(["hook.a"]);
    expect(problems).toEqual([]);
  });

  it("reports a constraint on a hook of another ring and orders both rings as if it were absent", () => {
    const { rings, problems } = orderHooks([
      hook("hook.audit", 1, { ring: "post_flight", before: ["hook.auth"] }),
      hook("hook.auth", 1),
    ]);
    expect(idsOf(rings.post_flight)).toEqual(["hook.audit"]);
    expect(idsOf(rings.pre_flight)).toEqual(["hook.auth"]);
    expect(problems).toEqual([
      {
        manifestId: "hook.audit",
        path: "before[0]",
        code: "hook_order_cross_ring",
        message: expect.stringContaining("order constraints apply within one ring"),
      },
    ]);
  });

  it("reports only the hooks on a cycle, not a hook that merely waits behind one", () => {
    const { rings, problems } = orderHooks([
      hook("hook.a", 1, { before: ["hook.b"] }),
      hook("hook.b", 1, { before: ["hook.c"] }),
      hook("hook.c", 1, { before: ["hook.a"] }),
      hook("hook.waiting", 1, { after: ["hook.c"] }),
      hook("hook.free", 1),
    ]);
    expect(problems.map((p) => [p.manifestId, p.path, p.code])).toEqual([
      ["hook.a", "before[0]", "hook_order_cycle"],
      ["hook.b", "before[0]", "hook_order_cycle"],
      ["hook.c", "before[0]", "hook_order_cycle"],
    ]);
    expect(idsOf(rings.pre_flight)).toEqual(["hook.free"]);
  });

  it("points a cycle declared twice by one hook at both of its entries", () => {
    const { problems } = orderHooks([
      hook("hook.a", 1, { before: ["hook.b"], after: ["hook.b"] }),
      hook("hook.b", 1),
    ]);
    expect(problems.map((p) => [p.manifestId, p.path])).toEqual([
      ["hook.a", "before[0]"],
      ["hook.a", "after[0]"],
    ]);
  });

  it("gives the same order whatever order the hooks come in", () => {
    const hooks = [
      hook("hook.a", 3),
      hook("hook.b", 1, { after: ["hook.d"] }),
      hook("hook.c", 2),
      hook("hook.d", 2),
    ];
    const expected = idsOf(orderHooks(hooks).rings.pre_flight);
    expect(idsOf(orderHooks([...hooks].reverse()).rings.pre_flight)).toEqual(expected);
    const rotated = [...hooks.slice(2), ...hooks.slice(0, 2)];
    expect(idsOf(orderHooks(rotated).rings.pre_flight)).toEqual(expected);
  });

  it("satisfies every constraint of any acyclic set and keeps unconstrained hooks by priority", () => {
    const acyclicHooks = fc
      .array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 12 })
      .chain((priorities) =>
        fc.tuple(
          fc.constant(priorities),
          // Each edge goes from a lower to a higher index, so the constraints have no cycle.
          fc.array(
            fc.tuple(fc.nat(priorities.length - 1), fc.nat(priorities.length - 1), fc.boolean()),
            { maxLength: 15 },
          ),
        ),
      )
      .map(([priorities, edges]) => {
        const hooks = priorities.map((priority, index) => hook(`hook.h${index}`, priority));
        const pairs: Array<[string, string]> = [];
        for (const [x, y, useBefore] of edges) {
          if (x === y) continue;
          const [from, to] = x < y ? [x, y] : [y, x];
          const earlier = hooks[from];
          const later = hooks[to];
          if (earlier === undefined || later === undefined) continue;
          pairs.push([earlier.id, later.id]);
          if (useBefore)
            hooks[from] = { ...earlier, before: [...(earlier.before ?? []), later.id] };
          else hooks[to] = { ...later, after: [...(later.after ?? []), earlier.id] };
        }
        return { hooks, pairs };
      });
    fc.assert(
      fc.property(acyclicHooks, ({ hooks, pairs }) => {
        const { rings, problems } = orderHooks(hooks);
        expect(problems).toEqual([]);
        const order = idsOf(rings.pre_flight);
        expect([...order].sort()).toEqual(idsOf(hooks).sort());
        for (const [earlier, later] of pairs) {
          expect(order.indexOf(earlier)).toBeLessThan(order.indexOf(later));
        }
        if (pairs.length === 0) {
          const priorities = order.map((id) => hooks.find((h) => h.id === id)?.priority ?? 0);
          expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
        }
      }),
      { numRuns: 500 },
    );
  });
});
