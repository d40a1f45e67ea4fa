import type { EgressRequest, EgressResponse } from "../../egress/egress-request.js";
import { ContextError, type ContextErrorCode } from "../context-errors.js";
import type { ContextLimitsInput } from "../context-limits.js";
import type { ContextServices, PluginLogRecord } from "../context-services.js";
import { createInMemoryData } from "../in-memory-data.js";
import { createInMemoryEventBus } from "../in-memory-event-bus.js";
import { createInMemoryStorage } from "../in-memory-storage.js";
import { type ContextManifest, createPluginContext } from "../plugin-context.js";

export const MANIFEST: ContextManifest = {
  id: "connector.crm",
  version: "2.1.0",
  permissions: [
    "storage:read",
    "storage:write",
    "event:publish:crm.*",
    "event:subscribe:crm.>",
    "data:read:contacts",
    "data:write:contacts",
    "network:outbound:api.crm.example",
  ],
  secretKeys: ["crm_token"],
};

/** The value of the `crm_token` secret the fixture's secret store holds. */
export const CRM_TOKEN = "crm-secret-77";
/** A secret value the fixture's host knows of without having injected it. */
export const KNOWN_SECRET = "smtp-password-1";

export interface ContextFixtureOptions {
  readonly manifest?: ContextManifest;
  readonly granted?: readonly string[];
  readonly limits?: ContextLimitsInput;
  readonly services?: {
    readonly [K in Exclude<keyof ContextServices, "log">]?: ContextServices[K] | undefined;
  } & { readonly log?: ContextServices["log"] };
  /** Answers outbound requests in place of the echo of the `authorization` header. */
  readonly egress?: (request: EgressRequest) => Promise<EgressResponse>;
}

/**
 * A context on in-memory services: storage, data, an event bus, a secret store holding
 * `crm_token`, and an egress sender that records each request and answers with the
 * `authorization` header it got (in a header and in a JSON body), unless `egress` is given.
 */
export function contextFixture(options: ContextFixtureOptions = {}) {
  const logs: PluginLogRecord[] = [];
  const sent: EgressRequest[] = [];
  const bus = createInMemoryEventBus();
  const services: ContextServices = {
    log: (record) => logs.push(record),
    events: bus,
    storage: createInMemoryStorage(),
    data: createInMemoryData(),
    secrets: {
      resolve: async (_pluginId, key) => (key === "crm_token" ? CRM_TOKEN : undefined),
    },
    knownSecretValues: () => [KNOWN_SECRET],
    egress: async (request) => {
      sent.push(request);
      if (options.egress !== undefined) return options.egress(request);
      return {
        status: 201,
        headers: { "x-echo": String(request.headers?.authorization) },
        body: new TextEncoder().encode(`{"token":"${request.headers?.authorization}"}`),
        url: request.url,
        address: "203.0.113.5",
      };
    },
    ...options.services,
  };
  const context = createPluginContext({
    manifest: options.manifest ?? MANIFEST,
    ...(options.granted === undefined ? {} : { granted: options.granted }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    config: { region: "eu", fields: ["name", "email"] },
    services,
  });
  return { context, logs, sent, bus };
}

/** The `ContextError` that `work` fails with, as its code and message. */
export async function refusal(
  work: () => unknown,
): Promise<{ code: ContextErrorCode; message: string }> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ContextError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a ContextError");
}
