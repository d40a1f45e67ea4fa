import { CHANNEL_OPERATIONS, CHANNEL_TYPES, defineManifest } from "@plugboard/plugin-sdk";

const FAXLINE_HOST = "api.faxline.example";
const FAXLINE_TOKEN = "faxline_api_token";

/** Faxline's job states onto Plugboard's job statuses. */
const FAXLINE_STATUSES = {
  queued: "queued",
  processing: "in_progress",
  sending: "in_progress",
  delivered: "succeeded",
  failed: "failed",
  canceled: "failed",
} as const;

/** Sends faxes through the Faxline API, described declaratively: no plugin code runs. */
export const faxlineFaxChannel = defineManifest({
  kind: "channel",
  id: "channel.fax.faxline",
  version: "1.0.0",
  displayName: "Faxline Fax",
  description:
    "Sends documents by fax through the Faxline API and follows each job until it is delivered or fails.",
  owner: "first_party",
  stability: "pilot",
  category: "communication",
  priority: 20,
  tags: ["fax", "outbound"],
  engines: { plugboard: "^1.0.0" },
  permissions: [`network:outbound:${FAXLINE_HOST}`],
  secretKeys: [FAXLINE_TOKEN],
  configSchema: {
    type: "object",
    properties: {
      senderNumber: {
        type: "string",
        title: "Sender fax number",
        description: "The number faxes are sent from, in E.164 form.",
        pattern: "^\\+[1-9][0-9]{6,14}$",
      },
      coverPage: {
        type: "boolean",
        title: "Add a cover page",
        default: true,
      },
    },
    required: ["senderNumber"],
    additionalProperties: false,
  },
  uiSchema: {
    senderNumber: { widget: "text", label: "Sender fax number", placeholder: "+15550100" },
    coverPage: { widget: "boolean", label: "Add a cover page" },
  },
  channelType: CHANNEL_TYPES.fax,
  operations: [CHANNEL_OPERATIONS.sendFax, CHANNEL_OPERATIONS.getStatus],
  runtime: {
    type: "http",
    allowedDomains: [FAXLINE_HOST],
    auth: { scheme: "bearer", tokenSecret: FAXLINE_TOKEN },
    operations: {
      [CHANNEL_OPERATIONS.sendFax]: {
        method: "POST",
        url: `https://${FAXLINE_HOST}/v1/faxes`,
        headers: { Accept: "application/json" },
        body: {
          encoding: "json",
          template: {
            to: "{{ input.to }}",
            from: "{{ config.senderNumber }}",
            document_url: "{{ input.documentUrl }}",
            cover_page: "{{ config.coverPage }}",
          },
        },
        response: {
          fields: { job_id: "id", status: "status" },
          statusPath: "status",
          statusMap: { ...FAXLINE_STATUSES },
        },
        timeoutMs: 30_000,
      },
      [CHANNEL_OPERATIONS.getStatus]: {
        method: "GET",
        url: `https://${FAXLINE_HOST}/v1/faxes/{{ input.jobId }}`,
        headers: { Accept: "application/json" },
        response: {
          fields: { job_id: "id", status: "status" },
          statusPath: "status",
          statusMap: { ...FAXLINE_STATUSES },
        },
      },
    },
  },
  setupSteps: [
    {
      id: "faxline-token",
      title: "Store the Faxline API token",
      description:
        "Create an API token in the Faxline dashboard and store it here. It is kept encrypted and only sent to the Faxline API.",
      ctaLabel: "Set up Faxline",
      operatorOnly: true,
      target: { surface: "connections", focus: "faxline" },
    },
    {
      id: "faxline-sender",
      title: "Choose the sender number",
      description: "Enter a fax number that belongs to the Faxline account.",
      ctaLabel: "Configure sender",
      operatorOnly: true,
      target: { surface: "connections", focus: "faxline" },
    },
  ],
  docsHref: "/docs/plugins/channels/faxline-fax",
  recoveryHints: [
    "Jobs that fail at once with 401 mean the API token was revoked; store a new one.",
    "Jobs that stay queued for long usually mean the receiving line is busy; Faxline retries on its own schedule.",
  ],
});
