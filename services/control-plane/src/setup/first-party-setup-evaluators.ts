import { CONNECTION_PROVIDERS } from "@plugboard/plugin-sdk";
import {
  configValid,
  providerConnected,
  type SetupEvaluator,
  secretsStored,
  workerInstalled,
} from "./setup-evaluators.js";

/**
 * The setup steps of first-party plugins that the host computes. Steps not listed here (a
 * live connection check, pointing a provider's webhook at Plugboard, routing mail to a
 * worker, reviewing the queue) need a person to confirm them and stay manual checkboxes.
 * Start-up fails when a key names no plugin or step, so this list cannot drift from the
 * manifests unnoticed.
 */
export const FIRST_PARTY_SETUP_EVALUATORS: readonly SetupEvaluator[] = [
  // Credentials: done once every secret key of the plugin is stored.
  { key: "provider.gmail.read-only:gmail-credentials", check: secretsStored() },
  { key: "provider.smtp-relay:smtp-configure", check: secretsStored() },
  { key: "provider.postmark:postmark-token", check: secretsStored() },
  { key: "provider.notion:notion-connect", check: secretsStored() },
  { key: "provider.drive:drive-connect", check: secretsStored() },
  { key: "provider.calendar:calendar-connect", check: secretsStored() },
  { key: "ingress.gmail.watch-hook:gmail-watch-token", check: secretsStored() },
  { key: "channel.sms.textline:textline-credentials", check: secretsStored() },
  { key: "channel.fax.faxline:faxline-token", check: secretsStored() },
  { key: "connector.microsoft-graph:graph-client-secret", check: secretsStored() },

  // Connections another plugin relies on: done once that provider is connected.
  {
    key: "worker-pack.follow-up:smtp-configure",
    check: providerConnected(CONNECTION_PROVIDERS.smtpRelay),
  },
  {
    key: "worker-pack.follow-up:gmail-connect",
    check: providerConnected(CONNECTION_PROVIDERS.gmail),
  },
  {
    key: "worker-pack.proposal:drive-connect",
    check: providerConnected(CONNECTION_PROVIDERS.drive),
  },
  {
    key: "action.smtp-reviewed-send:smtp-configure",
    check: providerConnected(CONNECTION_PROVIDERS.smtpRelay),
  },

  // Worker installs: done once a worker of the pack exists.
  { key: "worker-pack.follow-up:install-follow-up", check: workerInstalled() },
  { key: "worker-pack.proposal:install-proposal", check: workerInstalled() },

  // Settings: done once a saved config satisfies the plugin's configSchema.
  { key: "hook.rate-limit:rate-limit-configure", check: configValid() },
  { key: "hook.pii-redactor:pii-redactor-configure", check: configValid() },
  { key: "channel.fax.faxline:faxline-sender", check: configValid() },
  { key: "connector.microsoft-graph:graph-app-registration", check: configValid() },
];
