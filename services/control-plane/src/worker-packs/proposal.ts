import { defineWorkerPack } from "./worker-pack-definition.js";

/** Turns uploaded briefs and chat into proposal drafts and action plans. */
export const proposalPack = defineWorkerPack({
  id: "proposal_v1",
  kind: "proposal",
  defaultScope: "shared",
  summary: "Writes proposal drafts and action plans from uploaded briefs and chat.",
  systemPrompt:
    "You turn client briefs into structured proposals: scope, deliverables, timeline, assumptions and open questions. Mark anything you inferred.",
  supportedInputRoutes: [
    { kind: "chat", label: "Chat", description: "Describe the engagement to get a draft." },
    { kind: "upload", label: "Upload", description: "Upload a brief or RFP document." },
  ],
  actionCapabilities: [{ kind: "save_work", defaultBoundaryMode: "auto" }],
  outputKinds: ["proposal_draft", "action_plan"],
  installPlan: {
    defaultWorkerName: "Proposal writer",
    inputRoutes: ["chat", "upload"],
  },
});
