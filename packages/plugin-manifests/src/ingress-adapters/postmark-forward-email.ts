import {
  CONNECTION_PROVIDERS,
  defineManifest,
  INPUT_ROUTE_KINDS,
  WORKER_KINDS,
} from "@plugboard/plugin-sdk";
import { postmarkInboundProvider } from "../connection-providers/postmark-inbound.js";

/** Turns Postmark inbound webhooks into forward-email route events. */
export const postmarkForwardEmailAdapter = defineManifest({
  kind: "ingress_adapter",
  id: "ingress.postmark.forward-email",
  version: "1.0.0",
  displayName: "Postmark Forwarded Email",
  description:
    "Accepts the messages Postmark posts for its inbound address, checks the shared token, and hands each one to workers as a forwarded email.",
  owner: "first_party",
  stability: "pilot",
  category: "email",
  priority: 10,
  tags: ["inbound", "webhook"],
  engines: { plugboard: "^1.0.0" },
  permissions: ["network:inbound"],
  // The adapter verifies the token the Postmark connection stores; one secret, one name.
  secretKeys: [...postmarkInboundProvider.secretKeys],
  adapterKind: "provider_inbound",
  normalizedInputRouteKinds: [INPUT_ROUTE_KINDS.forwardEmail],
  authentication: "shared_token",
  provider: CONNECTION_PROVIDERS.postmark,
  setupSteps: [
    {
      id: "postmark-webhook",
      title: "Point Postmark at Plugboard",
      description:
        "In the Postmark server's inbound settings, set the webhook URL to this plugin's webhook address and configure the shared token as a request header, never in the URL.",
      ctaLabel: "Show webhook address",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.postmark },
    },
    {
      id: "postmark-route-worker",
      title: "Route forwarded mail to a worker",
      description:
        "Choose the follow-up worker that receives mail forwarded to the inbound address.",
      ctaLabel: "Choose worker",
      target: { surface: "workers", workerKind: WORKER_KINDS.followUp },
    },
  ],
  docsHref: "/docs/plugins/ingress-adapters/postmark-forward-email",
  recoveryHints: [
    "Forwarded mail that never shows up usually means Postmark is posting to an old address; compare its inbound webhook URL with the one shown here.",
    "Requests rejected with 401 carry a token that does not match the stored one.",
  ],
});
