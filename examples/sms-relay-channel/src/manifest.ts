import { defineManifest } from "@plugboard/plugin-sdk";

/** An SMS channel whose code talks to the SMS Relay API; the build writes it as JSON too. */
export const manifest = defineManifest({
  kind: "channel",
  id: "channel.sms-relay",
  version: "0.1.0",
  displayName: "SMS Relay",
  description: "Sends text messages through the SMS Relay API and follows their delivery.",
  owner: "third_party",
  stability: "experimental",
  category: "communication",
  tags: ["sms", "example"],
  engines: { plugboard: "^1.0.0" },
  channelType: "sms",
  operations: ["send_message", "get_status"],
  secretKeys: ["sms_relay_api_token"],
  permissions: [
    "network:outbound:api.smsrelay.example",
    "storage:read",
    "storage:write",
    "event:publish:sms-relay.>",
  ],
  configSchema: {
    type: "object",
    properties: {
      senderNumber: {
        type: "string",
        title: "Sender number",
        description: "The number messages are sent from, in E.164 form.",
        pattern: "^\\+[1-9][0-9]{6,14}$",
      },
    },
    required: ["senderNumber"],
    additionalProperties: false,
  },
  uiSchema: {
    senderNumber: {
      widget: "text",
      label: "Sender number",
      placeholder: "+15550100",
      help: "A number registered with your SMS Relay account, starting with + and the country code.",
    },
  },
  runtime: { type: "module", entry: "dist/plugin.js" },
  setupSteps: [
    {
      id: "api-token",
      title: "Add the SMS Relay API token",
      description:
        "Create an API token in the SMS Relay dashboard and store it as sms_relay_api_token.",
      ctaLabel: "Add token",
      operatorOnly: true,
    },
    {
      id: "sender-number",
      title: "Set the sender number",
      description: "Choose the number your messages are sent from.",
      ctaLabel: "Set number",
    },
  ],
  recoveryHints: [
    "A send that fails with 401 means the API token is wrong or revoked: store a new one.",
    "A send that fails with 5xx is SMS Relay's own failure: send again later.",
  ],
});
