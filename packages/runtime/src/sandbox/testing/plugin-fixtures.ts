import type { ConfigValue, PluginContext } from "@plugboard/plugin-sdk";
import type {
  ContextServices,
  EgressSender,
  PluginLogRecord,
} from "../../context/context-services.js";
import { createInMemoryData } from "../../context/in-memory-data.js";
import { createInMemoryEventBus } from "../../context/in-memory-event-bus.js";
import { createInMemoryStorage } from "../../context/in-memory-storage.js";
import { createPluginContext } from "../../context/plugin-context.js";
import type { EgressRequest } from "../../egress/egress-request.js";
import type { SandboxManifest } from "../isolate-instance.js";
import { createIsolateSandbox } from "../isolate-sandbox.js";
import type { Sandbox } from "../sandbox.js";
import type { SandboxLimitsInput } from "../sandbox-limits.js";

export interface FixtureManifest extends SandboxManifest {
  readonly permissions?: readonly string[] | undefined;
}

export function hookManifest(overrides: Partial<FixtureManifest> = {}): FixtureManifest {
  return { id: "hook.fixture", version: "1.0.0", kind: "hook", ...overrides };
}

/**
 * An ES module as an author's bundler would emit it: `setupBody` is the body of
 * `setup(ctx)`, `prelude` runs at module evaluation.
 */
export function pluginSource(
  setupBody: string,
  options: { readonly id?: string; readonly prelude?: string } = {},
): string {
  return `${options.prelude ?? ""}
export default { manifest: { id: ${JSON.stringify(options.id ?? "hook.fixture")} }, setup(ctx) { ${setupBody} } };
`;
}

/** A hook whose `run` answers passthrough, echoing nothing. */
export const PASSTHROUGH_HOOK = pluginSource(`return { run: () => ({ action: "passthrough" }) };`);

export interface FixtureHost {
  readonly context: PluginContext;
  readonly logs: PluginLogRecord[];
  readonly services: ContextServices;
  readonly bus: ReturnType<typeof createInMemoryEventBus>;
  readonly egressRequests: EgressRequest[];
}

export interface FixtureHostOptions {
  readonly manifest: FixtureManifest;
  readonly config?: Readonly<Record<string, ConfigValue>>;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly egress?: EgressSender;
}

/** A context on in-memory services, recording log lines and outbound requests. */
export function createFixtureHost(options: FixtureHostOptions): FixtureHost {
  const logs: PluginLogRecord[] = [];
  const egressRequests: EgressRequest[] = [];
  const bus = createInMemoryEventBus();
  const secrets = options.secrets ?? {};
  const services: ContextServices = {
    log: (record) => logs.push(record),
    events: bus,
    storage: createInMemoryStorage(),
    data: createInMemoryData(),
    secrets: { resolve: async (_pluginId, key) => secrets[key] },
    egress: async (request, sendOptions) => {
      egressRequests.push(request);
      if (options.egress !== undefined) return options.egress(request, sendOptions);
      return {
        status: 200,
        headers: { "content-type": "application/json" },
        body: new TextEncoder().encode(JSON.stringify({ echoed: request.headers ?? {} })),
        url: request.url,
        address: "203.0.113.10",
      };
    },
  };
  const context = createPluginContext({
    manifest: options.manifest,
    config: options.config ?? {},
    services,
  });
  return { context, logs, services, bus, egressRequests };
}

/** Limits small enough that a runaway is stopped within a test's patience. */
export const TEST_LIMITS = {
  cpuTimeMs: 100,
  wallTimeMs: 1_000,
  loadTimeMs: 2_000,
  memoryLimitMb: 32,
} as const satisfies SandboxLimitsInput;

/** A sandbox for `source` on a fixture host; dispose it in `afterEach`. */
export function fixtureSandbox(
  source: string,
  options: {
    readonly manifest?: FixtureManifest;
    readonly limits?: SandboxLimitsInput;
    readonly host?: FixtureHost;
  } = {},
): { sandbox: Sandbox; host: FixtureHost } {
  const manifest = options.manifest ?? hookManifest();
  const host = options.host ?? createFixtureHost({ manifest });
  const sandbox = createIsolateSandbox({
    manifest,
    source,
    context: host.context,
    limits: { ...TEST_LIMITS, ...options.limits },
  });
  return { sandbox, host };
}
