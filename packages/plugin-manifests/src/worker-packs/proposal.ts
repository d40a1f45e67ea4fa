import {
  ACTION_KINDS,
  CONNECTION_PROVIDERS,
  defineManifest,
  INPUT_ROUTE_KINDS,
  WORK_ITEM_KINDS,
  WORKER_KINDS,
} from "@plugboard/plugin-sdk";

/** A worker that turns a brief into a proposal draft and an action plan. */
export const proposalWorkerPack = defineManifest({
  kind: "worker_pack",
  id: "worker-pack.proposal",
  version: "1.0.0",
  displayName: "Proposal",
  description:
    "Turns a brief given in chat or an uploaded document into a proposal draft and an action plan. Works without any connection.",
  owner: "first_party",
  stability: "pilot",
  category: "project",
  priority: 10,
  tags: ["proposals", "planning"],
  engines: { plugboard: "^1.0.0" },
  workerPackId: "proposal_v1",
  workerKind: WORKER_KINDS.proposal,
  defaultScope: "shared",
  supportedInputRouteKinds: [INPUT_ROUTE_KINDS.chat, INPUT_ROUTE_KINDS.upload],
  outputKinds: [WORK_ITEM_KINDS.proposalDraft, WORK_ITEM_KINDS.actionPlan],
  actionKinds: [ACTION_KINDS.saveWork],
  requiredConnectionProviders: [],
  optionalConnectionProviders: [CONNECTION_PROVIDERS.drive],
  setupSteps: [
    {
      id: "install-proposal",
      title: "Install the proposal worker",
      description: "Add the worker to the workspace; it is shared with everyone by default.",
      ctaLabel: "Install worker",
      operatorOnly: true,
      target: { surface: "workers", workerKind: WORKER_KINDS.proposal },
    },
    {
      id: "drive-connect",
      title: "Optionally connect Google Drive",
      description: "With Drive connected, the worker can draw on past proposals and templates.",
      ctaLabel: "Connect Drive",
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.drive },
    },
  ],
  docsHref: "/docs/plugins/worker-packs/proposal",
});
