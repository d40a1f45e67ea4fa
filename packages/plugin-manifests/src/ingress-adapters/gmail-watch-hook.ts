import { CONNECTION_PROVIDERS, defineManifest, INPUT_ROUTE_KINDS } from "@plugboard/plugin-sdk";

/** Turns Gmail inbox change notifications into watched-inbox route events. */
export const gmailWatchHookAdapter = defineManifest({
  kind: "ingress_adapter",
  id: "ingress.gmail.watch-hook",
  version: "1.0.0",
  displayName: "Gmail Inbox Watch",
  description:
    "Receives change notifications for a watched Gmail inbox and hands workers a watched-inbox event naming the mailbox that changed and the history id to read from. It fetches no messages.",
  owner: "first_party",
  stability: "pilot",
  category: "email",
  priority: 20,
  tags: ["google", "inbox", "webhook"],
  engines: { plugboard: "^1.0.0" },
  permissions: ["network:inbound"],
  secretKeys: ["gmail_watch_token"],
  adapterKind: "watch_hook",
  normalizedInputRouteKinds: [INPUT_ROUTE_KINDS.watchedInbox],
  authentication: "shared_token",
  provider: CONNECTION_PROVIDERS.gmail,
  setupSteps: [
    {
      id: "gmail-watch-token",
      title: "Create the watch notification token",
      description:
        "Generate a long random token and store it here; the push subscription that delivers inbox changes must send it with every notification.",
      ctaLabel: "Set up inbox watch",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.gmail },
    },
    {
      id: "gmail-watch-start",
      title: "Start watching the inbox",
      description:
        "Ask Gmail to push inbox changes to this adapter's webhook address, and renew the watch before it expires; Plugboard does not start or renew it.",
      ctaLabel: "Start watch",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.gmail },
    },
  ],
  docsHref: "/docs/plugins/ingress-adapters/gmail-watch-hook",
  recoveryHints: [
    "If new mail stops arriving, the watch may have expired; start it again from the Gmail connection.",
    "The watch depends on the Gmail read-only connection; check that one first.",
  ],
});
