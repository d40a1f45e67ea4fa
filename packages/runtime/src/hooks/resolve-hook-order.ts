import {
  type FailMode,
  type HookManifest,
  type HookOrderProblem,
  type HookRing,
  orderHooks,
} from "@plugboard/plugin-sdk";
import { HookPipelineError } from "./hook-errors.js";

/** The hooks of every ring in the order they run. */
export type ResolvedHookOrder = Readonly<Record<HookRing, readonly HookManifest[]>>;

/** One hook at its place in a ring, with what decided the place: what `GET /v1/hooks` shows. */
export interface OrderedHookView {
  readonly id: string;
  readonly version: string;
  readonly priority: number;
  readonly timeoutMs: number;
  readonly failMode: FailMode;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/** The edge a cycle problem stands for, as `[runs first, runs second]`. */
function edgeOf(problem: HookOrderProblem, byId: ReadonlyMap<string, HookManifest>) {
  const match = /^(before|after)\[(\d+)\]$/.exec(problem.path);
  const hook = byId.get(problem.manifestId);
  if (match === null || hook === undefined) return undefined;
  const field = match[1] === "before" ? "before" : "after";
  const other = hook[field]?.[Number(match[2])];
  if (other === undefined) return undefined;
  return field === "before" ? [hook.id, other] : [other, hook.id];
}

/**
 * Each cycle among the constraints, as the ids met going round it: `[a, b, c, a]`. Every
 * constraint `orderHooks` reports as a cycle lies on one, so a walk along them from any
 * reported hook comes back to a hook it has seen.
 */
function cyclesOf(
  problems: readonly HookOrderProblem[],
  byId: ReadonlyMap<string, HookManifest>,
): string[][] {
  const next = new Map<string, string[]>();
  for (const problem of problems) {
    const edge = edgeOf(problem, byId);
    if (edge === undefined) continue;
    const [from, to] = edge;
    if (from === undefined || to === undefined) continue;
    next.set(from, [...(next.get(from) ?? []), to].sort());
  }
  const named = new Set<string>();
  const cycles: string[][] = [];
  for (const start of [...next.keys()].sort()) {
    if (named.has(start)) continue;
    const path: string[] = [];
    for (let id: string | undefined = start; id !== undefined; id = next.get(id)?.[0]) {
      const seen = path.indexOf(id);
      if (seen === -1) {
        path.push(id);
        continue;
      }
      const cycle = [...path.slice(seen), id];
      if (cycle.some((member) => !named.has(member))) cycles.push(cycle);
      for (const member of cycle) named.add(member);
      break;
    }
  }
  return cycles;
}

/**
 * Orders hooks per ring: by priority, then id, moved only as far as `before`/`after`
 * constraints require; a constraint naming an absent hook is ignored. Throws a
 * `HookPipelineError` naming every cycle and cross-ring constraint, and any repeated id.
 *
 * @example
 * resolveHookOrder(manifests).pre_flight.map((hook) => hook.id); // ["hook.auth", "hook.rate-limit"]
 */
export function resolveHookOrder(manifests: readonly HookManifest[]): ResolvedHookOrder {
  const byId = new Map<string, HookManifest>();
  for (const manifest of manifests) {
    if (byId.has(manifest.id)) {
      throw new HookPipelineError(
        "PLUGBOARD_HOOK_ID_DUPLICATE",
        `two hooks have the id "${manifest.id}"; each hook needs its own`,
      );
    }
    byId.set(manifest.id, manifest);
  }
  const { rings, problems } = orderHooks(manifests);
  if (problems.length === 0) return rings;

  const lines = cyclesOf(
    problems.filter((problem) => problem.code === "hook_order_cycle"),
    byId,
  ).map((cycle) => `cycle: ${cycle.join(" → ")}`);
  for (const problem of problems) {
    if (problem.code === "hook_order_cross_ring") {
      lines.push(`${problem.manifestId} ${problem.path}: ${problem.message}`);
    }
  }
  throw new HookPipelineError(
    "PLUGBOARD_HOOK_ORDER_INVALID",
    `hook order constraints cannot be met:\n${lines.map((line) => `  ${line}`).join("\n")}`,
    problems,
  );
}

/** The order as `GET /v1/hooks` shows it: each ring's hooks with their placing fields. */
export function describeHookOrder(order: ResolvedHookOrder): {
  readonly rings: Readonly<Record<HookRing, readonly OrderedHookView[]>>;
} {
  const view = (hook: HookManifest): OrderedHookView => ({
    id: hook.id,
    version: hook.version,
    priority: hook.priority,
    timeoutMs: hook.timeoutMs,
    failMode: hook.failMode,
    before: hook.before ?? [],
    after: hook.after ?? [],
  });
  return {
    rings: {
      ingress: order.ingress.map(view),
      pre_flight: order.pre_flight.map(view),
      routing: order.routing.map(view),
      post_flight: order.post_flight.map(view),
      background: order.background.map(view),
    },
  };
}
