import {
  ACTION_KINDS,
  CONNECTION_PROVIDERS,
  defineManifest,
  INPUT_ROUTE_KINDS,
  WORK_ITEM_KINDS,
  WORKER_KINDS,
} from "@plugboard/plugin-sdk";

/** A worker that drafts client follow-ups and meeting recaps from mail and chat. */
export const followUpWorkerPack = defineManifest({
  kind: "worker_pack",
  id: "worker-pack.follow-up",
  version: "1.0.0",
  displayName: "Client Follow-Up",
  description:
    "Drafts follow-up emails and meeting recaps from chat, forwarded mail and a watched inbox, and proposes sending them for review.",
  owner: "first_party",
  stability: "pilot",
  category: "email",
  priority: 10,
  tags: ["email", "clients"],
  engines: { plugboard: "^1.0.0" },
  workerPackId: "follow_up_v1",
  workerKind: WORKER_KINDS.followUp,
  defaultScope: "shared",
  supportedInputRouteKinds: [
    INPUT_ROUTE_KINDS.chat,
    INPUT_ROUTE_KINDS.forwardEmail,
    INPUT_ROUTE_KINDS.watchedInbox,
  ],
  outputKinds: [WORK_ITEM_KINDS.emailDraft, WORK_ITEM_KINDS.meetingRecap],
  actionKinds: [ACTION_KINDS.sendEmail, ACTION_KINDS.saveWork],
  requiredConnectionProviders: [CONNECTION_PROVIDERS.smtpRelay],
  optionalConnectionProviders: [
    CONNECTION_PROVIDERS.gmail,
    CONNECTION_PROVIDERS.calendar,
    CONNECTION_PROVIDERS.drive,
  ],
  setupSteps: [
    {
      id: "smtp-configure",
      title: "Connect the SMTP relay",
      description: "The follow-up worker sends approved emails through the SMTP relay.",
      ctaLabel: "Set up SMTP",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.smtpRelay },
    },
    {
      id: "install-follow-up",
      title: "Install the follow-up worker",
      description: "Add the worker to the workspace; it is shared with everyone by default.",
      ctaLabel: "Install worker",
      operatorOnly: true,
      target: { surface: "workers", workerKind: WORKER_KINDS.followUp },
    },
    {
      id: "gmail-connect",
      title: "Optionally watch a Gmail inbox",
      description:
        "Connect Gmail read-only. Inbox changes then reach the worker as watched-inbox events, from which the follow-up pack drafts nothing yet; forwarded mail is what it drafts from.",
      ctaLabel: "Set up Gmail",
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.gmail },
    },
  ],
  docsHref: "/docs/plugins/worker-packs/follow-up",
  recoveryHints: [
    "Installing fails while the SMTP relay connection is missing; connect it, then install again.",
  ],
});
