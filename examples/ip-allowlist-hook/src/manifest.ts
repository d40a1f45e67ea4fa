import { defineManifest } from "@plugboard/plugin-sdk";

/** An ingress hook that only lets webhooks in from listed addresses; the build writes it as JSON too. */
export const manifest = defineManifest({
  kind: "hook",
  id: "hook.ip-allowlist",
  version: "0.1.0",
  displayName: "IP allowlist",
  description:
    "Refuses webhooks whose source address is not one of the configured IPv4 or IPv6 addresses and CIDR ranges.",
  owner: "third_party",
  stability: "experimental",
  category: "gateway",
  tags: ["security", "webhooks", "example"],
  engines: { plugboard: "^1.0.0" },
  ring: "ingress",
  // Early in the ring: a refused webhook should cost the other hooks nothing.
  priority: 10,
  timeoutMs: 100,
  // A hook that cannot decide must not let traffic through.
  failMode: "closed",
  configSchema: {
    type: "object",
    properties: {
      allowedAddresses: {
        type: "array",
        title: "Allowed addresses",
        description:
          "IPv4 and IPv6 addresses and CIDR ranges webhooks may come from. An empty list refuses every webhook.",
        items: { type: "string" },
        maxItems: 1000,
        default: [],
      },
    },
    additionalProperties: false,
  },
  uiSchema: {
    allowedAddresses: {
      widget: "array",
      label: "Allowed addresses",
      placeholder: "203.0.113.0/24",
      help: "One address or range per entry, such as 198.51.100.7, 203.0.113.0/24 or 2001:db8::/32.",
    },
  },
  runtime: { type: "module", entry: "dist/plugin.js" },
  recoveryHints: [
    "Webhooks answered 403 by hook.ip-allowlist come from an address that is not listed: add the provider's published ranges to allowedAddresses.",
    "The address checked is the one the control plane's connection came from: behind a reverse proxy, every webhook comes from the proxy.",
  ],
});
