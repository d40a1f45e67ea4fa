import type {
  ActionExecutorManifest,
  ChannelManifest,
  ConnectionProviderManifest,
  ConnectorManifest,
  HookManifest,
  IngressAdapterManifest,
  RuleOperatorManifest,
  WorkerPackManifest,
} from "@plugboard/plugin-sdk";
import { smtpReviewedSendExecutor } from "./action-executors/smtp-reviewed-send.js";
import { faxlineFaxChannel } from "./channels/faxline-fax.js";
import { textlineSmsChannel } from "./channels/textline-sms.js";
import { calendarProvider } from "./connection-providers/calendar.js";
import { driveProvider } from "./connection-providers/drive.js";
import { gmailReadOnlyProvider } from "./connection-providers/gmail-read-only.js";
import { notionProvider } from "./connection-providers/notion.js";
import { postmarkInboundProvider } from "./connection-providers/postmark-inbound.js";
import { smtpRelayProvider } from "./connection-providers/smtp-relay.js";
import { microsoftGraphConnector } from "./connectors/microsoft-graph.js";
import { piiRedactorHook } from "./hooks/pii-redactor.js";
import { rateLimitHook } from "./hooks/rate-limit.js";
import { gmailWatchHookAdapter } from "./ingress-adapters/gmail-watch-hook.js";
import { postmarkForwardEmailAdapter } from "./ingress-adapters/postmark-forward-email.js";
import { commsRuleOperator } from "./rule-operators/comms.js";
import { followUpWorkerPack } from "./worker-packs/follow-up.js";
import { proposalWorkerPack } from "./worker-packs/proposal.js";

// Each list is typed with its kind's manifest type, so a manifest of another kind in the
// wrong list is a compile error and readers of a list get that kind's fields.

export const connectionProviderPlugins: readonly ConnectionProviderManifest[] = [
  gmailReadOnlyProvider,
  smtpRelayProvider,
  postmarkInboundProvider,
  calendarProvider,
  driveProvider,
  notionProvider,
];

export const ingressAdapterPlugins: readonly IngressAdapterManifest[] = [
  postmarkForwardEmailAdapter,
  gmailWatchHookAdapter,
];

export const actionExecutorPlugins: readonly ActionExecutorManifest[] = [smtpReviewedSendExecutor];

export const workerPackPlugins: readonly WorkerPackManifest[] = [
  followUpWorkerPack,
  proposalWorkerPack,
];

export const channelPlugins: readonly ChannelManifest[] = [textlineSmsChannel, faxlineFaxChannel];

export const connectorPlugins: readonly ConnectorManifest[] = [microsoftGraphConnector];

export const ruleOperatorPlugins: readonly RuleOperatorManifest[] = [commsRuleOperator];

export const hookPlugins: readonly HookManifest[] = [rateLimitHook, piiRedactorHook];
