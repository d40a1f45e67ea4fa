import {
  createEgressPolicy,
  type EgressHostPolicy,
  type EgressPolicy,
  egressGrantsFromPermissions,
  type HostLookup,
  lookupWithDns,
} from "@plugboard/runtime";
import type { EgressSettings } from "../config.js";

/** The operator's egress settings as the guard's host policy. */
export function egressHostPolicy(settings: EgressSettings): EgressHostPolicy {
  return {
    plainHttpHosts: [...settings.plainHttpHosts],
    loopbackHosts: [...settings.loopbackHosts],
    trustedCertificates: [...settings.trustedCertificates],
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
  };
}

/**
 * Resolves the names of `PLUGBOARD_EGRESS_HOSTS` from that table and every other name with
 * DNS. The guard checks a table answer like any other: a name mapped to a loopback address
 * is refused unless `PLUGBOARD_EGRESS_LOOPBACK_HOSTS` names it.
 */
export function egressLookup(settings: EgressSettings): HostLookup {
  if (settings.hosts.size === 0) return lookupWithDns;
  return async (hostname) => {
    const address = settings.hosts.get(hostname.toLowerCase());
    if (address === undefined) return lookupWithDns(hostname);
    return [{ address, family: address.includes(":") ? 6 : 4 }];
  };
}

/** The policy for one plugin: its `network:outbound` permissions and the host policy. */
export function egressPolicyFor(
  permissions: readonly string[],
  settings: EgressSettings,
): EgressPolicy {
  return createEgressPolicy(egressGrantsFromPermissions(permissions), egressHostPolicy(settings));
}
