import { ACTION_KINDS, CONNECTION_PROVIDERS, defineManifest } from "@plugboard/plugin-sdk";
import { smtpRelayProvider } from "../connection-providers/smtp-relay.js";

/** Sends an email through the SMTP relay once a person has approved it. */
export const smtpReviewedSendExecutor = defineManifest({
  kind: "action_executor",
  id: "action.smtp-reviewed-send",
  version: "1.0.0",
  displayName: "Reviewed Email Send",
  description:
    "Sends drafts that workers propose through the SMTP relay. Each send waits in the review queue until someone approves it, then goes out exactly once.",
  owner: "first_party",
  stability: "pilot",
  category: "email",
  priority: 10,
  tags: ["smtp", "review"],
  engines: { plugboard: "^1.0.0" },
  actionKind: ACTION_KINDS.sendEmail,
  destinationProviders: [CONNECTION_PROVIDERS.smtpRelay],
  defaultBoundaryMode: "ask_me",
  executionModel: "governed_async",
  // The executor sends with the relay's own credentials; one list, one place.
  secretKeys: [...smtpRelayProvider.secretKeys],
  setupSteps: [
    {
      id: "smtp-configure",
      title: "Connect the SMTP relay",
      description: "Reviewed sends go out through the SMTP relay connection; set it up first.",
      ctaLabel: "Set up SMTP",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.smtpRelay },
    },
    {
      id: "review-queue",
      title: "Review proposed sends",
      description:
        "Proposed emails wait in the activity view. Approve, edit or reject each one; nothing is sent before approval.",
      ctaLabel: "Open review queue",
      target: { surface: "activity" },
    },
  ],
  docsHref: "/docs/plugins/action-executors/smtp-reviewed-send",
  recoveryHints: [
    "A send that failed after approval is retried automatically; if it keeps failing, verify the SMTP relay connection.",
  ],
});
