import {
  checkRegistry,
  defineManifest,
  type HostDeclaration,
  PLUGBOARD_HOST,
} from "@plugboard/plugin-sdk";

const common = {
  version: "1.0.0",
  owner: "third_party",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
} as const;

export const smtpRelay = defineManifest({
  ...common,
  kind: "connection_provider",
  id: "provider.smtp-relay",
  displayName: "SMTP relay",
  description: "Sends mail through an SMTP relay.",
  provider: "smtp_relay",
  accessModes: ["write_capable"],
  capabilities: ["send_mail"],
  compatibleInputRouteKinds: ["forward_email"],
  setupMode: "operator_driven",
  secretKeys: ["SMTP_HOST", "SMTP_PASSWORD"],
  setupSteps: [
    {
      id: "smtp-credentials",
      title: "Add relay credentials",
      description: "Store the relay host and password as secrets.",
      ctaLabel: "Add credentials",
      target: { surface: "connections", focus: "smtp_relay" },
    },
  ],
});

export const forwardedMail = defineManifest({
  ...common,
  kind: "ingress_adapter",
  id: "ingress.smtp-relay.forward",
  displayName: "Forwarded mail",
  description: "Turns mail forwarded to the relay into forward_email route events.",
  adapterKind: "provider_inbound",
  normalizedInputRouteKinds: ["forward_email"],
  authentication: "shared_token",
  provider: "smtp_relay",
  permissions: ["network:inbound"],
  setupSteps: [],
});

export const smtpSend = defineManifest({
  ...common,
  kind: "action_executor",
  id: "action.smtp-send",
  displayName: "Send through SMTP",
  description: "Sends a reviewed email through the SMTP relay.",
  actionKind: "send_email",
  destinationProviders: ["smtp_relay"],
  defaultBoundaryMode: "ask_me",
  executionModel: "governed_async",
  secretKeys: [],
  setupSteps: [],
});

export const followUp = defineManifest({
  ...common,
  kind: "worker_pack",
  id: "worker-pack.follow-up",
  displayName: "Follow-up",
  description: "Drafts follow-up emails from forwarded threads and chat.",
  workerPackId: "follow_up_v1",
  workerKind: "follow_up",
  defaultScope: "shared",
  supportedInputRouteKinds: ["forward_email", "chat"],
  outputKinds: ["email_draft"],
  actionKinds: ["send_email", "save_work"],
  requiredConnectionProviders: ["smtp_relay"],
  optionalConnectionProviders: [],
  setupSteps: [],
});

/** Every reference resolves: to a manifest of the set, or to the host (`chat`, `save_work`). */
export function checkMailSet() {
  return checkRegistry([smtpRelay, forwardedMail, smtpSend, followUp]);
}

/** A host that produces `voice_note` route events itself, on top of the control plane's. */
export const voiceHost: HostDeclaration = {
  ...PLUGBOARD_HOST,
  routeKinds: [...(PLUGBOARD_HOST.routeKinds ?? []), "voice_note"],
};

/** A set with two broken references, checked against that host. */
export function checkBrokenSet() {
  const imapInbox = {
    ...smtpRelay,
    id: "provider.imap-inbox",
    provider: "imap_inbox",
    accessModes: ["read_only"],
  };
  const imapReply = { ...smtpSend, id: "action.imap-reply", destinationProviders: ["imap_inbox"] };
  const voiceFollowUp = {
    ...followUp,
    supportedInputRouteKinds: ["forward_email", "voice_note"],
    optionalConnectionProviders: ["calendar"],
  };
  return checkRegistry([smtpRelay, imapInbox, forwardedMail, imapReply, voiceFollowUp], {
    host: voiceHost,
  });
}
