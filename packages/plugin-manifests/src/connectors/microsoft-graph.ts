import { defineManifest } from "@plugboard/plugin-sdk";

/** The entity types this connector writes; its data permissions are derived from them. */
const GRAPH_ENTITY_TYPES = ["contacts", "events", "messages"] as const;

/** Syncs contacts, calendar events and mail from Microsoft 365 through Microsoft Graph. */
export const microsoftGraphConnector = defineManifest({
  kind: "connector",
  id: "connector.microsoft-graph",
  version: "1.0.0",
  displayName: "Microsoft Graph",
  description:
    "Keeps contacts, calendar events and mail from a Microsoft 365 tenant in step with Plugboard: an incremental sync on a schedule plus change notifications as they happen.",
  owner: "first_party",
  stability: "experimental",
  category: "data",
  priority: 10,
  tags: ["microsoft", "contacts", "calendar", "mail"],
  engines: { plugboard: "^1.0.0" },
  permissions: [
    "network:outbound:graph.microsoft.com",
    // Tokens for the app registration are issued by the Microsoft identity platform.
    "network:outbound:login.microsoftonline.com",
    // Realtime change notifications arrive by webhook.
    "network:inbound",
    "event:publish:connector.>",
    ...GRAPH_ENTITY_TYPES.map((entity) => `data:write:${entity}` as const),
  ],
  configSchema: {
    type: "object",
    properties: {
      clientId: {
        type: "string",
        title: "Application (client) id",
        description: "The id of the app registration in Microsoft Entra.",
        minLength: 1,
      },
      tenantId: {
        type: "string",
        title: "Directory (tenant) id",
        description: "The id of the Microsoft 365 tenant to sync.",
        minLength: 1,
      },
    },
    required: ["clientId", "tenantId"],
    additionalProperties: false,
  },
  uiSchema: {
    clientId: {
      widget: "text",
      label: "Application (client) id",
      help: "Shown on the app registration's overview page.",
      placeholder: "00000000-0000-0000-0000-000000000000",
    },
    tenantId: {
      widget: "text",
      label: "Directory (tenant) id",
      help: "Shown on the same overview page, below the client id.",
      placeholder: "00000000-0000-0000-0000-000000000000",
    },
  },
  secretKeys: ["microsoft_graph_client_secret"],
  entityTypes: [...GRAPH_ENTITY_TYPES],
  syncModes: ["incremental", "realtime"],
  schedule: { intervalMinutes: 15 },
  realtime: true,
  setupSteps: [
    {
      id: "graph-app-registration",
      title: "Register an app in Microsoft Entra",
      description:
        "Create an app registration with application permissions to read contacts, calendars and mail, grant admin consent, and enter its client and tenant ids.",
      ctaLabel: "Configure connector",
      operatorOnly: true,
      docsHref: "/docs/plugins/connectors/microsoft-graph#app-registration",
      target: { surface: "connections", focus: "microsoft-graph" },
    },
    {
      id: "graph-client-secret",
      title: "Store the client secret",
      description:
        "Create a client secret for the app registration and store it here. It is kept encrypted and used only to obtain tokens.",
      ctaLabel: "Store secret",
      operatorOnly: true,
      target: { surface: "connections", focus: "microsoft-graph" },
    },
  ],
  docsHref: "/docs/plugins/connectors/microsoft-graph",
  recoveryHints: [
    "If the sync stops with an authorisation error, the client secret has probably expired; create a new one and store it.",
    "Missing mailboxes or calendars usually mean admin consent was not granted for the application permissions.",
  ],
});
