import {
  createEgressPolicy,
  type EgressHostPolicy,
  egressGrantsFromPermissions,
} from "../../egress/egress-policy.js";
import type { HostLookup } from "../../egress/host-lookup.js";
import { sendEgressRequest } from "../../egress/send-egress-request.js";
import type { PluginLogRecord } from "../context-services.js";
import { createPluginContext } from "../plugin-context.js";

export interface RealEgressContextOptions {
  /** The manifest's permissions; its `network:outbound` ones also make the egress policy. */
  readonly permissions: readonly string[];
  readonly hostPolicy: EgressHostPolicy;
  readonly lookup: HostLookup;
  /** The plugin's secrets by key; their keys are the manifest's `secretKeys`. */
  readonly secrets?: ReadonlyMap<string, string>;
}

/**
 * A context whose `http` goes through the real egress guard, the way a host wires it: the
 * policy is built from the manifest's `network:outbound` permissions and the host policy, and
 * names resolve through `lookup`.
 */
export function realEgressContext(options: RealEgressContextOptions) {
  const logs: PluginLogRecord[] = [];
  const secrets = options.secrets ?? new Map<string, string>();
  const policy = createEgressPolicy(
    egressGrantsFromPermissions(options.permissions),
    options.hostPolicy,
  );
  const context = createPluginContext({
    manifest: {
      id: "connector.echo",
      version: "1.0.0",
      permissions: options.permissions,
      secretKeys: [...secrets.keys()],
    },
    services: {
      log: (record) => logs.push(record),
      secrets: { resolve: async (_pluginId, key) => secrets.get(key) },
      egress: (request) => sendEgressRequest(request, policy, { lookup: options.lookup }),
    },
  });
  return { context, logs, policy };
}
