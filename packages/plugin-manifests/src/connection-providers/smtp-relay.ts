import { CONNECTION_PROVIDERS, defineManifest } from "@plugboard/plugin-sdk";

/** An outbound SMTP relay: the destination reviewed email actions are sent through. */
export const smtpRelayProvider = defineManifest({
  kind: "connection_provider",
  id: "provider.smtp-relay",
  version: "1.0.0",
  displayName: "SMTP Relay",
  description:
    "Sends email through an SMTP server the workspace already uses. Output only: it feeds no input routes and is used by reviewed send actions.",
  owner: "first_party",
  stability: "pilot",
  category: "email",
  priority: 20,
  tags: ["smtp", "outbound"],
  engines: { plugboard: "^1.0.0" },
  provider: CONNECTION_PROVIDERS.smtpRelay,
  accessModes: ["write_capable"],
  capabilities: ["send_email"],
  compatibleInputRouteKinds: [],
  setupMode: "operator_driven",
  secretKeys: ["smtp_host", "smtp_port", "smtp_username", "smtp_password", "smtp_from_address"],
  setupSteps: [
    {
      id: "smtp-configure",
      title: "Enter the SMTP relay settings",
      description:
        "Store the relay host, port, login and the address mail is sent from. The password is kept encrypted and is never shown again.",
      ctaLabel: "Set up SMTP",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.smtpRelay },
    },
    {
      id: "smtp-verify",
      title: "Verify the relay accepts the login",
      description:
        "Plugboard opens a connection to the relay and authenticates without sending a message.",
      ctaLabel: "Verify relay",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.smtpRelay },
    },
  ],
  docsHref: "/docs/plugins/connection-providers/smtp-relay",
  recoveryHints: [
    "If the relay refuses the login, check whether it expects an app password rather than the account password.",
    "If the connection times out, check that the port matches the relay's TLS mode (465 for implicit TLS, 587 for STARTTLS).",
  ],
});
