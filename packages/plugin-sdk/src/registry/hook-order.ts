import type { HookManifest } from "../kinds/built-in-kinds.js";
import type { HookRing } from "../vocabulary.js";
import { HOOK_RINGS } from "../vocabulary.js";

export interface HookOrderProblem {
  readonly manifestId: string;
  readonly path: string;
  readonly code: "hook_order_cross_ring" | "hook_order_cycle";
  readonly message: string;
}

export interface HookOrder {
  /** Hooks of each ring in the order they run. */
  readonly rings: Readonly<Record<HookRing, readonly HookManifest[]>>;
  readonly problems: readonly HookOrderProblem[];
}

function byPriorityThenId(a: HookManifest, b: HookManifest): number {
  return a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The constraints that close a cycle among the hooks left unordered. A hook left over only
 * because it waits behind a cycle is not on it and has nothing to fix, so each problem
 * points at one `before[i]` / `after[i]` entry whose two hooks reach each other.
 */
function cycleProblems(
  members: readonly HookManifest[],
  ordered: readonly HookManifest[],
  successors: ReadonlyMap<string, ReadonlySet<string>>,
): HookOrderProblem[] {
  const blocked = new Set(members.filter((hook) => !ordered.includes(hook)).map((h) => h.id));
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const pending = [from];
    for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
      for (const next of successors.get(id) ?? []) {
        if (next === to) return true;
        if (blocked.has(next) && !seen.has(next)) {
          seen.add(next);
          pending.push(next);
        }
      }
    }
    return false;
  };
  const problems: HookOrderProblem[] = [];
  for (const hook of members) {
    if (!blocked.has(hook.id)) continue;
    for (const field of ["before", "after"] as const) {
      (hook[field] ?? []).forEach((otherId, index) => {
        if (otherId === hook.id || !blocked.has(otherId)) return;
        const backwards =
          field === "before" ? reaches(otherId, hook.id) : reaches(hook.id, otherId);
        if (!backwards) return;
        problems.push({
          manifestId: hook.id,
          path: `${field}[${index}]`,
          code: "hook_order_cycle",
          message: `this hook runs ${field} "${otherId}", but "${otherId}" also runs ${field} it (directly or through other hooks): the constraints form a cycle`,
        });
      });
    }
  }
  return problems;
}

/**
 * Orders hooks per ring: by priority, then id, moved only as far as `before`/`after`
 * constraints require. Constraints naming an absent hook are ignored (it may be installed
 * later); constraints across rings and cycles are problems.
 */
export function orderHooks(hooks: readonly HookManifest[]): HookOrder {
  const byId = new Map(hooks.map((hook) => [hook.id, hook]));
  const problems: HookOrderProblem[] = [];
  const rings = {} as Record<HookRing, HookManifest[]>;
  for (const ring of HOOK_RINGS) rings[ring] = [];

  // edges: id -> ids that must run after it
  const successors = new Map<string, Set<string>>();
  const indegree = new Map<string, number>();
  for (const hook of hooks) {
    successors.set(hook.id, new Set());
    indegree.set(hook.id, 0);
  }
  const addEdge = (from: string, to: string) => {
    const next = successors.get(from);
    if (next === undefined || next.has(to)) return;
    next.add(to);
    indegree.set(to, (indegree.get(to) ?? 0) + 1);
  };
  for (const hook of hooks) {
    for (const field of ["before", "after"] as const) {
      (hook[field] ?? []).forEach((otherId, index) => {
        const other = byId.get(otherId);
        if (other === undefined || otherId === hook.id) return;
        if (other.ring !== hook.ring) {
          problems.push({
            manifestId: hook.id,
            path: `${field}[${index}]`,
            code: "hook_order_cross_ring",
            message: `"${otherId}" runs in ring ${other.ring}, not ${hook.ring}; order constraints apply within one ring`,
          });
          return;
        }
        if (field === "before") addEdge(hook.id, otherId);
        else addEdge(otherId, hook.id);
      });
    }
  }

  for (const ring of HOOK_RINGS) {
    const members = hooks.filter((hook) => hook.ring === ring);
    const ready = members.filter((hook) => indegree.get(hook.id) === 0).sort(byPriorityThenId);
    const ordered = rings[ring];
    for (let hook = ready.shift(); hook !== undefined; hook = ready.shift()) {
      ordered.push(hook);
      for (const nextId of successors.get(hook.id) ?? []) {
        const remaining = (indegree.get(nextId) ?? 0) - 1;
        indegree.set(nextId, remaining);
        const next = byId.get(nextId);
        if (remaining === 0 && next !== undefined) {
          const at = ready.findIndex((candidate) => byPriorityThenId(next, candidate) < 0);
          ready.splice(at === -1 ? ready.length : at, 0, next);
        }
      }
    }
    if (ordered.length < members.length) {
      problems.push(...cycleProblems(members, ordered, successors));
    }
  }
  return { rings, problems };
}
