import {
  CONNECTION_PROVIDERS,
  defineManifest,
  INPUT_ROUTE_KINDS,
  WORKER_KINDS,
} from "@plugboard/plugin-sdk";

/** A workspace Gmail account read without send rights; it feeds watched-inbox routes. */
export const gmailReadOnlyProvider = defineManifest({
  kind: "connection_provider",
  id: "provider.gmail.read-only",
  version: "1.0.0",
  displayName: "Gmail Read-Only",
  description:
    "Reads threads from a workspace Gmail account and watches its inbox for new mail. The connection holds read scopes only, so nothing can be sent through it.",
  owner: "first_party",
  stability: "pilot",
  category: "email",
  priority: 10,
  tags: ["google", "inbox"],
  engines: { plugboard: "^1.0.0" },
  provider: CONNECTION_PROVIDERS.gmail,
  accessModes: ["read_only"],
  capabilities: ["read_threads", "watch_inbox"],
  compatibleInputRouteKinds: [INPUT_ROUTE_KINDS.watchedInbox],
  setupMode: "operator_driven",
  secretKeys: ["google_client_id", "google_client_secret", "google_refresh_token"],
  setupSteps: [
    {
      id: "gmail-credentials",
      title: "Enter the Google OAuth client",
      description:
        "Store the client id, client secret and a refresh token issued with the Gmail read-only scope. They are kept encrypted and never shown again.",
      ctaLabel: "Set up Gmail",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.gmail },
    },
    {
      id: "gmail-validate",
      title: "Check the Gmail connection",
      description:
        "Plugboard lists one page of threads with the stored credentials to confirm the account is reachable and the scope is read-only.",
      ctaLabel: "Check connection",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.gmail },
    },
    {
      id: "gmail-attach-worker",
      title: "Attach a follow-up worker",
      description: "Choose which follow-up worker receives mail arriving in the watched inbox.",
      ctaLabel: "Choose worker",
      target: { surface: "workers", workerKind: WORKER_KINDS.followUp },
    },
  ],
  docsHref: "/docs/plugins/connection-providers/gmail-read-only",
  recoveryHints: [
    "If the check reports an invalid grant, issue a new refresh token for the same OAuth client and store it again.",
    "Make sure the Gmail API is enabled in the Google Cloud project that owns the OAuth client.",
  ],
});
