import { expectTypeOf } from "vitest";
import {
  defineManifest,
  definePlugin,
  type HookHandlers,
  type PluginContext,
  type PluginDefinition,
  type RuleOperatorHandlers,
  type WorkerPackHandlers,
} from "../src/index.js";

const hook = defineManifest({
  kind: "hook",
  id: "hook.rate-limit",
  version: "1.0.0",
  displayName: "Rate limit",
  description: "Rejects requests above a rate.",
  owner: "core",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  ring: "pre_flight",
  priority: 100,
  timeoutMs: 50,
  failMode: "closed",
});

const workerPack = defineManifest({
  kind: "worker_pack",
  id: "worker-pack.follow-up",
  version: "1.0.0",
  displayName: "Follow-up",
  description: "Drafts follow-up emails.",
  owner: "first_party",
  stability: "pilot",
  engines: { plugboard: "^1.0.0" },
  workerPackId: "follow_up_v1",
  workerKind: "follow_up",
  defaultScope: "shared",
  supportedInputRouteKinds: ["chat"],
  outputKinds: ["email_draft"],
  actionKinds: [],
  requiredConnectionProviders: [],
  optionalConnectionProviders: [],
  setupSteps: [],
});

const operators = defineManifest({
  kind: "rule_operator",
  id: "operator.comms",
  version: "1.0.0",
  displayName: "Comms",
  description: "Communication rules.",
  owner: "core",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  conditions: [
    { id: "comms.callCount", description: "Calls.", params: { type: "object", properties: {} } },
  ],
  actions: [],
});

// A hook plugin returns `run`, from a plain or an async setup, and sees a PluginContext.

const hookPlugin = definePlugin({
  manifest: hook,
  setup: (ctx) => {
    expectTypeOf(ctx).toEqualTypeOf<PluginContext>();
    return { run: () => ({ action: "passthrough" }) };
  },
});
expectTypeOf(hookPlugin).toEqualTypeOf<PluginDefinition<typeof hook>>();
expectTypeOf(hookPlugin.manifest.ring).toEqualTypeOf<"pre_flight">();
expectTypeOf(hookPlugin.setup).returns.toEqualTypeOf<HookHandlers | Promise<HookHandlers>>();

definePlugin({
  manifest: hook,
  setup: async (ctx) => {
    const limit = ctx.config.maxRequests;
    return {
      run: (request) =>
        request.path === "/health" || limit === undefined
          ? { action: "passthrough" }
          : { action: "block", status: 429, type: "rate_limited", message: "Too many requests" },
      probe: () => ({ healthy: true }),
    };
  },
});

// A hook plugin without `run` does not compile.

definePlugin({
  manifest: hook,
  // @ts-expect-error a hook's setup must return run
  setup: () => ({ probe: () => ({ healthy: true }) }),
});

definePlugin({
  manifest: hook,
  // @ts-expect-error an async setup must resolve to run as well
  setup: async () => ({}),
});

// A hook result outside the declared actions does not compile.

definePlugin({
  manifest: hook,
  // @ts-expect-error "explode" is not a hook result
  setup: () => ({ run: () => ({ action: "explode" }) }),
});

// Each kind gets its own handlers.

const workerPlugin = definePlugin({
  manifest: workerPack,
  setup: () => ({ handleRouteEvent: () => ({ workItems: [], actionRequests: [] }) }),
});
expectTypeOf(workerPlugin.setup).returns.toEqualTypeOf<
  WorkerPackHandlers | Promise<WorkerPackHandlers>
>();

definePlugin({
  manifest: workerPack,
  // @ts-expect-error a worker pack's handlers are not a hook's
  setup: () => ({ run: () => ({ action: "passthrough" }) }),
});

const operatorPlugin = definePlugin({
  manifest: operators,
  setup: () => ({ conditions: { "comms.callCount": () => true }, actions: {} }),
});
expectTypeOf(operatorPlugin.setup).returns.toEqualTypeOf<
  RuleOperatorHandlers | Promise<RuleOperatorHandlers>
>();

definePlugin({
  manifest: operators,
  // @ts-expect-error a rule operator returns both conditions and actions
  setup: () => ({ conditions: {} }),
});
