export { smtpReviewedSendExecutor } from "./action-executors/smtp-reviewed-send.js";
export { faxlineFaxChannel } from "./channels/faxline-fax.js";
export { textlineSmsChannel } from "./channels/textline-sms.js";
export { calendarProvider } from "./connection-providers/calendar.js";
export { driveProvider } from "./connection-providers/drive.js";
export { gmailReadOnlyProvider } from "./connection-providers/gmail-read-only.js";
export { notionProvider } from "./connection-providers/notion.js";
export { postmarkInboundProvider } from "./connection-providers/postmark-inbound.js";
export { smtpRelayProvider } from "./connection-providers/smtp-relay.js";
export { microsoftGraphConnector } from "./connectors/microsoft-graph.js";
export {
  firstPartyManifests,
  firstPartyManifestsById,
  getFirstPartyManifest,
} from "./first-party-manifests.js";
export { piiRedactorHook } from "./hooks/pii-redactor.js";
export { rateLimitHook } from "./hooks/rate-limit.js";
export { gmailWatchHookAdapter } from "./ingress-adapters/gmail-watch-hook.js";
export { postmarkForwardEmailAdapter } from "./ingress-adapters/postmark-forward-email.js";
export {
  actionExecutorPlugins,
  channelPlugins,
  connectionProviderPlugins,
  connectorPlugins,
  hookPlugins,
  ingressAdapterPlugins,
  ruleOperatorPlugins,
  workerPackPlugins,
} from "./plugins-by-kind.js";
export { commsRuleOperator } from "./rule-operators/comms.js";
export { followUpWorkerPack } from "./worker-packs/follow-up.js";
export { proposalWorkerPack } from "./worker-packs/proposal.js";
