import type {
  ActionExecutorManifest,
  ChannelManifest,
  ConnectionProviderManifest,
  ConnectorManifest,
  HookManifest,
  IngressAdapterManifest,
  PluginKind,
  RuleOperatorManifest,
  WorkerPackManifest,
} from "../kinds/built-in-kinds.js";

/**
 * One valid manifest per built-in kind, written as plain objects (not through
 * `defineManifest`), so tests can copy, break and compare them. Together they form a
 * registry that `checkRegistry` accepts against the default host: every provider, route
 * kind and action kind they reference is provided by one of them or by the host.
 */

export const connectionProviderExample: ConnectionProviderManifest = {
  kind: "connection_provider",
  id: "provider.gmail",
  version: "1.2.0",
  displayName: "Gmail",
  description: "Reads threads from a Gmail inbox and sends email as the connected account.",
  owner: "first_party",
  stability: "pilot",
  category: "email",
  tags: ["email", "google"],
  engines: { plugboard: "^1.0.0" },
  permissions: ["network:outbound:gmail.googleapis.com", "event:publish:gmail.>"],
  configSchema: {
    type: "object",
    properties: {
      label: { type: "string", title: "Label to watch", minLength: 1 },
      pollMinutes: { type: "integer", minimum: 1, maximum: 60, default: 5 },
    },
    required: ["label"],
  },
  uiSchema: {
    label: { widget: "text", label: "Label", placeholder: "INBOX" },
    pollMinutes: { widget: "number" },
  },
  provider: "gmail",
  accessModes: ["read_only", "write_capable"],
  capabilities: ["read_threads", "send_email"],
  compatibleInputRouteKinds: ["watched_inbox"],
  setupMode: "browser_oauth",
  secretKeys: ["google_client_id", "google_client_secret"],
  setupSteps: [
    {
      id: "gmail-credentials",
      title: "Add Google OAuth credentials",
      description: "Paste the OAuth client id and secret of your Google Cloud project.",
      ctaLabel: "Add credentials",
      operatorOnly: true,
    },
    {
      id: "gmail-connect",
      title: "Connect a mailbox",
      description: "Sign in with the Google account whose inbox Plugboard should read.",
      ctaLabel: "Connect Gmail",
      target: { surface: "connections", focus: "gmail" },
    },
  ],
  docsHref: "https://plugboard.dev/docs/providers/gmail",
  recoveryHints: ["Reconnect the account when Google revokes the refresh token."],
};

export const ingressAdapterExample: IngressAdapterManifest = {
  kind: "ingress_adapter",
  id: "ingress.gmail.watch",
  version: "1.0.0",
  displayName: "Gmail watch",
  description: "Receives Gmail push notifications and turns new messages into inbox routes.",
  owner: "first_party",
  stability: "pilot",
  category: "email",
  engines: { plugboard: ">=1.0.0 <2.0.0" },
  permissions: ["network:inbound"],
  adapterKind: "watch_hook",
  normalizedInputRouteKinds: ["watched_inbox"],
  authentication: "provider_signature",
  provider: "gmail",
  setupSteps: [
    {
      id: "enable-push",
      title: "Enable push notifications",
      description: "Create a Pub/Sub topic and grant Gmail permission to publish to it.",
      ctaLabel: "Open setup",
    },
  ],
  runtime: { type: "module", entry: "dist/gmail-watch.js" },
};

export const actionExecutorExample: ActionExecutorManifest = {
  kind: "action_executor",
  id: "action.gmail-send",
  version: "1.0.0",
  displayName: "Send with Gmail",
  description: "Sends a reviewed email draft through the connected Gmail account.",
  owner: "first_party",
  stability: "stable",
  category: "email",
  engines: { plugboard: "^1.0.0" },
  permissions: ["network:outbound:gmail.googleapis.com"],
  actionKind: "send_email",
  destinationProviders: ["gmail"],
  defaultBoundaryMode: "ask_me",
  executionModel: "governed_async",
  secretKeys: ["gmail_api_token"],
  setupSteps: [
    {
      id: "review-policy",
      title: "Choose a review policy",
      description: "Decide whether outgoing email waits for your approval.",
      ctaLabel: "Review policy",
      target: { surface: "workers", workerKind: "follow_up" },
    },
  ],
  runtime: {
    type: "http",
    allowedDomains: ["gmail.googleapis.com"],
    auth: { scheme: "bearer", tokenSecret: "gmail_api_token" },
    operations: {
      send_email: {
        method: "POST",
        url: "https://gmail.googleapis.com/gmail/v1/users/me/messages/send",
        headers: { "content-type": "application/json" },
        body: { encoding: "json", template: { raw: "{{ payload.raw }}" } },
        response: { fields: { message_id: "id" } },
        timeoutMs: 10_000,
      },
      get_status: {
        method: "GET",
        url: "https://gmail.googleapis.com/gmail/v1/users/me/messages/{{ job.id }}",
      },
    },
  },
};

export const workerPackExample: WorkerPackManifest = {
  kind: "worker_pack",
  id: "worker-pack.follow-up",
  version: "1.0.0",
  displayName: "Follow-up",
  description: "Drafts follow-up emails after meetings and inbox threads.",
  owner: "first_party",
  stability: "pilot",
  category: "email",
  engines: { plugboard: "^1.0.0" },
  workerPackId: "follow_up_v1",
  workerKind: "follow_up",
  defaultScope: "shared",
  supportedInputRouteKinds: ["chat", "upload", "watched_inbox"],
  outputKinds: ["email_draft", "meeting_recap"],
  actionKinds: ["send_email", "save_work"],
  requiredConnectionProviders: ["gmail"],
  optionalConnectionProviders: [],
  setupSteps: [
    {
      id: "connect-mail",
      title: "Connect email",
      description: "Connect the mailbox follow-ups are drafted from.",
      ctaLabel: "Connect",
      target: { surface: "connections" },
    },
    {
      id: "create-worker",
      title: "Create the worker",
      description: "Create a follow-up worker and choose who it drafts for.",
      ctaLabel: "Create worker",
      target: { surface: "workers", workerKind: "follow_up" },
    },
  ],
};

export const channelExample: ChannelManifest = {
  kind: "channel",
  id: "channel.phaxio.fax",
  version: "2.0.1",
  displayName: "Phaxio fax",
  description: "Sends faxes through Phaxio and reports their delivery status.",
  owner: "third_party",
  stability: "experimental",
  category: "communication",
  engines: { plugboard: "1.x || 2.x" },
  permissions: ["network:outbound:api.phaxio.com:443", "network:inbound", "event:publish:fax.*"],
  secretKeys: ["PHAXIO_API_KEY", "PHAXIO_API_SECRET"],
  channelType: "fax",
  operations: ["send_fax", "get_status", "receive"],
  runtime: {
    type: "http",
    allowedDomains: ["api.phaxio.com"],
    auth: {
      scheme: "basic",
      usernameSecret: "PHAXIO_API_KEY",
      passwordSecret: "PHAXIO_API_SECRET",
    },
    operations: {
      send_fax: {
        method: "POST",
        url: "https://api.phaxio.com/v2.1/faxes",
        body: {
          encoding: "multipart",
          fields: { to: "{{ fax.to }}" },
          files: { file: "{{ fax.documentUrl }}" },
        },
        response: { fields: { job_id: "data.id" } },
      },
      get_status: {
        method: "GET",
        url: "https://api.phaxio.com/v2.1/faxes/{{ job.id }}",
        response: {
          statusPath: "data.status",
          statusMap: { queued: "queued", inprogress: "in_progress", success: "succeeded" },
        },
      },
    },
  },
};

export const connectorExample: ConnectorManifest = {
  kind: "connector",
  id: "connector.hubspot",
  version: "0.3.0",
  displayName: "HubSpot",
  description: "Syncs HubSpot contacts and companies into Plugboard entities.",
  owner: "third_party",
  stability: "experimental",
  category: "crm",
  engines: { plugboard: "^1.0.0" },
  permissions: [
    "network:outbound:api.hubapi.com",
    "data:write:contacts",
    "data:write:companies",
    "storage:read",
    "storage:write",
  ],
  secretKeys: ["hubspot_token"],
  entityTypes: ["contacts", "companies"],
  syncModes: ["full", "incremental", "realtime"],
  schedule: { intervalMinutes: 60 },
  realtime: true,
  runtime: { type: "module", entry: "dist/index.js" },
};

export const ruleOperatorExample: RuleOperatorManifest = {
  kind: "rule_operator",
  id: "operator.comms",
  version: "1.0.0",
  displayName: "Communication rules",
  description: "Conditions and actions about calls and messages for the rules engine.",
  owner: "core",
  stability: "stable",
  category: "automation",
  engines: { plugboard: "^1.0.0" },
  permissions: ["event:subscribe:comms.>", "data:read:contacts"],
  conditions: [
    {
      id: "comms.callCount",
      description: "True when the contact made at least `min` calls in the window.",
      params: {
        type: "object",
        properties: { min: { type: "integer", minimum: 0 }, windowHours: { type: "integer" } },
        required: ["min"],
      },
    },
  ],
  actions: [
    {
      id: "comms.sendSms",
      description: "Sends a text message to the contact.",
      params: { type: "object", properties: { body: { type: "string", maxLength: 480 } } },
    },
  ],
  runtime: { type: "module", entry: "dist/operators.mjs" },
};

export const hookExample: HookManifest = {
  kind: "hook",
  id: "hook.rate-limit",
  version: "1.0.0",
  displayName: "Rate limit",
  description: "Rejects requests above the configured rate per API key.",
  owner: "core",
  stability: "stable",
  category: "gateway",
  priority: 100,
  engines: { plugboard: "^1.0.0" },
  permissions: ["storage:read", "storage:write"],
  configSchema: {
    type: "object",
    properties: { maxRequests: { type: "integer", minimum: 1, default: 60 } },
    additionalProperties: false,
  },
  uiSchema: { maxRequests: { widget: "number", help: "Requests per minute per key." } },
  ring: "pre_flight",
  timeoutMs: 50,
  failMode: "closed",
  runtime: { type: "module", entry: "dist/rate-limit.js" },
};

/** Every example, keyed by its kind, in the order of the built-in kinds. */
export const EXAMPLE_MANIFESTS = {
  connection_provider: connectionProviderExample,
  ingress_adapter: ingressAdapterExample,
  action_executor: actionExecutorExample,
  worker_pack: workerPackExample,
  channel: channelExample,
  connector: connectorExample,
  rule_operator: ruleOperatorExample,
  hook: hookExample,
} as const satisfies Record<PluginKind, { kind: PluginKind }>;

/** A deep copy of one kind's example, as loose data a test may break. */
export function exampleOf(kind: PluginKind): Record<string, unknown> {
  return structuredClone(EXAMPLE_MANIFESTS[kind]);
}

/** Deep copies of all examples, in kind order. */
export function allExamples(): Array<Record<string, unknown>> {
  return Object.values(EXAMPLE_MANIFESTS).map((example) => structuredClone(example));
}
