import { defineWorkerPack } from "./worker-pack-definition.js";

/** Turns forwarded and watched email into reviewed follow-up drafts. */
export const followUpPack = defineWorkerPack({
  id: "follow_up_v1",
  kind: "follow_up",
  defaultScope: "shared",
  summary:
    "Drafts client follow-ups from forwarded email, watched inboxes and chat, for review before sending.",
  systemPrompt:
    "You draft concise, friendly follow-up emails for client conversations. Use only facts present in the thread. Propose a clear next step and never send without approval.",
  supportedInputRoutes: [
    { kind: "chat", label: "Chat", description: "Ask the worker for a follow-up directly." },
    {
      kind: "forward_email",
      label: "Forwarded email",
      description: "Forward a thread to the worker's address to get a draft.",
    },
    {
      kind: "watched_inbox",
      label: "Watched inbox",
      description: "Threads arriving in a watched Gmail inbox produce drafts in shadow mode.",
    },
  ],
  actionCapabilities: [
    { kind: "send_email", defaultBoundaryMode: "ask_me" },
    { kind: "save_work", defaultBoundaryMode: "auto" },
  ],
  outputKinds: ["email_draft", "meeting_recap"],
  installPlan: {
    defaultWorkerName: "Client follow-up",
    inputRoutes: ["chat", "forward_email"],
  },
});
