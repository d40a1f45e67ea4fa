import type { HookManifest, HookRequest } from "@plugboard/plugin-sdk";
import type { Hook } from "./hook.js";
import type { HookPipelineInput } from "./hook-pipeline.js";

/** The fields of a hook manifest the engine reads; the rest stay as in a valid manifest. */
export type HookFields = Partial<
  Pick<HookManifest, "ring" | "priority" | "timeoutMs" | "failMode" | "before" | "after">
>;

/** A valid hook manifest for tests: pre_flight, priority 100, 50 ms, fail open. */
export function hookManifest(id: string, fields: HookFields = {}): HookManifest {
  return {
    kind: "hook",
    id,
    version: "1.0.0",
    displayName: id,
    description: `The test hook ${id}.`,
    owner: "third_party",
    stability: "experimental",
    category: "gateway",
    engines: { plugboard: "^1.0.0" },
    ring: "pre_flight",
    priority: 100,
    timeoutMs: 50,
    failMode: "open",
    ...fields,
  };
}

/** A hook that records its calls; `invoke` defaults to a bare passthrough. */
export function testHook(
  id: string,
  fields: HookFields = {},
  invoke: Hook["invoke"] = () => ({ action: "passthrough" }),
): Hook & { readonly calls: HookRequest[]; readonly signals: AbortSignal[] } {
  const calls: HookRequest[] = [];
  const signals: AbortSignal[] = [];
  return {
    manifest: hookManifest(id, fields),
    calls,
    signals,
    invoke(request, signal) {
      calls.push(request);
      signals.push(signal);
      return invoke(request, signal);
    },
  };
}

export const sampleInput: HookPipelineInput = {
  method: "POST",
  path: "/v1/orders",
  headers: { "content-type": "application/json" },
  body: { item: "book", quantity: 1 },
};

/** A promise that never settles, as a hung hook returns. */
export const never = (): Promise<never> => new Promise<never>(() => {});
