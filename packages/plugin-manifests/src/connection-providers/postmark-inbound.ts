import { CONNECTION_PROVIDERS, defineManifest, INPUT_ROUTE_KINDS } from "@plugboard/plugin-sdk";

/**
 * Postmark's inbound mail processing: mail forwarded to a Postmark inbound address arrives
 * as a webhook. The ingress adapter for it references this provider.
 */
export const postmarkInboundProvider = defineManifest({
  kind: "connection_provider",
  id: "provider.postmark",
  version: "1.0.0",
  displayName: "Postmark Inbound",
  description:
    "Receives mail forwarded to a Postmark inbound address. Postmark posts each message to Plugboard, which checks the shared token before accepting it.",
  owner: "first_party",
  stability: "pilot",
  category: "email",
  priority: 30,
  tags: ["inbound", "webhook"],
  engines: { plugboard: "^1.0.0" },
  provider: CONNECTION_PROVIDERS.postmark,
  accessModes: ["read_only"],
  capabilities: ["receive_inbound_email"],
  compatibleInputRouteKinds: [INPUT_ROUTE_KINDS.forwardEmail],
  setupMode: "operator_driven",
  secretKeys: ["postmark_inbound_token"],
  setupSteps: [
    {
      id: "postmark-token",
      title: "Create the inbound webhook token",
      description:
        "Generate a long random token and store it here. Postmark sends it with every inbound webhook so Plugboard can tell its requests from anyone else's.",
      ctaLabel: "Set up Postmark",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.postmark },
    },
  ],
  docsHref: "/docs/plugins/connection-providers/postmark-inbound",
  recoveryHints: [
    "If Postmark reports 401 responses, the token in its webhook settings no longer matches the stored one; store a new token in both places.",
  ],
});
