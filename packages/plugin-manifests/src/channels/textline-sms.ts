import { CHANNEL_OPERATIONS, CHANNEL_TYPES, defineManifest } from "@plugboard/plugin-sdk";

const TEXTLINE_HOST = "api.textline.example";
const TEXTLINE_ACCOUNT = "textline_account_id";
const TEXTLINE_TOKEN = "textline_auth_token";

/** Textline's message states onto Plugboard's job statuses. */
const TEXTLINE_STATUSES = {
  accepted: "queued",
  queued: "queued",
  sending: "in_progress",
  sent: "in_progress",
  delivered: "succeeded",
  undelivered: "failed",
  failed: "failed",
} as const;

/** Sends and receives SMS through the Textline API; outbound calls are declarative HTTP. */
export const textlineSmsChannel = defineManifest({
  kind: "channel",
  id: "channel.sms.textline",
  version: "1.0.0",
  displayName: "Textline SMS",
  description:
    "Sends text messages through the Textline API, tracks their delivery, and receives replies on the account's number by webhook.",
  owner: "first_party",
  stability: "pilot",
  category: "communication",
  priority: 10,
  tags: ["sms", "messaging"],
  engines: { plugboard: "^1.0.0" },
  permissions: [`network:outbound:${TEXTLINE_HOST}`, "network:inbound"],
  secretKeys: [TEXTLINE_ACCOUNT, TEXTLINE_TOKEN],
  configSchema: {
    type: "object",
    properties: {
      senderNumber: {
        type: "string",
        title: "Sender number",
        description: "The Textline number messages are sent from, in E.164 form.",
        pattern: "^\\+[1-9][0-9]{6,14}$",
      },
    },
    required: ["senderNumber"],
    additionalProperties: false,
  },
  uiSchema: {
    senderNumber: { widget: "text", label: "Sender number", placeholder: "+15550100" },
  },
  channelType: CHANNEL_TYPES.sms,
  operations: [
    CHANNEL_OPERATIONS.sendMessage,
    CHANNEL_OPERATIONS.getStatus,
    CHANNEL_OPERATIONS.receive,
  ],
  runtime: {
    type: "http",
    allowedDomains: [TEXTLINE_HOST],
    auth: { scheme: "basic", usernameSecret: TEXTLINE_ACCOUNT, passwordSecret: TEXTLINE_TOKEN },
    operations: {
      [CHANNEL_OPERATIONS.sendMessage]: {
        method: "POST",
        url: `https://${TEXTLINE_HOST}/v1/messages`,
        body: {
          encoding: "form",
          fields: {
            to: "{{ input.to }}",
            from: "{{ config.senderNumber }}",
            body: "{{ input.body }}",
          },
        },
        response: {
          fields: { job_id: "sid", status: "status" },
          statusPath: "status",
          statusMap: { ...TEXTLINE_STATUSES },
        },
        timeoutMs: 15_000,
      },
      [CHANNEL_OPERATIONS.getStatus]: {
        method: "GET",
        url: `https://${TEXTLINE_HOST}/v1/messages/{{ input.jobId }}`,
        response: {
          fields: { job_id: "sid", status: "status" },
          statusPath: "status",
          statusMap: { ...TEXTLINE_STATUSES },
        },
      },
    },
  },
  setupSteps: [
    {
      id: "textline-credentials",
      title: "Store the Textline credentials",
      description:
        "Store the account id and auth token from the Textline console. They are kept encrypted and only sent to the Textline API.",
      ctaLabel: "Set up Textline",
      operatorOnly: true,
      target: { surface: "connections", focus: "textline" },
    },
    {
      id: "textline-inbound",
      title: "Forward incoming messages to Plugboard",
      description:
        "In the Textline console, set the number's incoming message webhook to this plugin's webhook address.",
      ctaLabel: "Show webhook address",
      operatorOnly: true,
      target: { surface: "connections", focus: "textline" },
    },
  ],
  docsHref: "/docs/plugins/channels/textline-sms",
  recoveryHints: [
    "Messages marked undelivered were refused by the recipient's carrier; check the number format and that the recipient has not opted out.",
  ],
});
