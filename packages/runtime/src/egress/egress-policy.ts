import { parsePermission } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { normaliseHostName } from "./host-name.js";

const HostNameSchema = z.string().transform((value, context) => {
  const host = normaliseHostName(value);
  if (host === undefined) {
    context.addIssue({
      code: "custom",
      message: `expected a host name such as api.example.com, got "${value}"`,
    });
    return z.NEVER;
  }
  return host;
});

/**
 * One host a plugin may call. Without a port, only the default port of the scheme is granted
 * (443 for https, 80 for a plain-http test host).
 */
export const EgressGrantSchema = z.strictObject({
  host: HostNameSchema,
  port: z.int().min(1).max(65_535).optional(),
});
export type EgressGrant = z.input<typeof EgressGrantSchema>;

/** What the operator decides for every plugin: test-host exceptions and the caps. */
export const EgressHostPolicySchema = z.strictObject({
  /** Granted hosts that may also be called over plain `http://`, for test servers. */
  plainHttpHosts: z.array(HostNameSchema).default([]),
  /** Granted hosts that may resolve to a loopback address, for test servers. */
  loopbackHosts: z.array(HostNameSchema).default([]),
  /** The largest response body read, in bytes; a larger one aborts the request. */
  maxResponseBytes: z
    .int()
    .min(1)
    .default(5 * 1024 * 1024),
  /** The longest a request may take, DNS, redirects and body included. */
  timeoutMs: z.int().min(1).max(600_000).default(30_000),
  /** How many redirects are followed, each one checked like the first request. */
  maxRedirects: z.int().min(0).max(20).default(5),
  /** PEM certificates trusted besides Node's root store, such as a private CA. */
  trustedCertificates: z.array(z.string().min(1)).default([]),
});
export type EgressHostPolicy = z.input<typeof EgressHostPolicySchema>;

const EgressPolicySchema = EgressHostPolicySchema.extend({
  grants: z.array(EgressGrantSchema),
}).brand<"EgressPolicy">();

/**
 * A checked, normalised egress policy; only `createEgressPolicy` makes one, so the guard can
 * trust its host names.
 */
export type EgressPolicy = Readonly<z.output<typeof EgressPolicySchema>>;

/**
 * Builds the policy the egress guard enforces from the granted hosts and the host policy.
 * Throws a `ZodError` naming the field when a host or a cap is malformed. No grants means
 * no host may be called.
 *
 * @example createEgressPolicy([{ host: "api.example.com" }], { timeoutMs: 10_000 })
 */
export function createEgressPolicy(
  grants: readonly EgressGrant[],
  hostPolicy: EgressHostPolicy = {},
): EgressPolicy {
  return Object.freeze(EgressPolicySchema.parse({ ...hostPolicy, grants }));
}

/**
 * The hosts granted by a manifest's `network:outbound:<host>[:<port>]` permissions; other
 * permissions are skipped. Throws a `PlugboardError` for a string that is not a permission.
 *
 * @example egressGrantsFromPermissions(["network:outbound:api.example.com:8443", "storage:read"]) // [{ host: "api.example.com", port: 8443 }]
 */
export function egressGrantsFromPermissions(permissions: readonly string[]): EgressGrant[] {
  const grants: EgressGrant[] = [];
  for (const text of permissions) {
    const permission = parsePermission(text);
    if (permission.resource !== "network" || permission.access !== "outbound") continue;
    grants.push(
      permission.port === undefined
        ? { host: permission.host }
        : { host: permission.host, port: permission.port },
    );
  }
  return grants;
}
