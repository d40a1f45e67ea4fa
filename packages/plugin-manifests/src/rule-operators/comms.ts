import { defineManifest } from "@plugboard/plugin-sdk";

/** Condition and action operators over calls, messages and follow-ups for the rules engine. */
export const commsRuleOperator = defineManifest({
  kind: "rule_operator",
  id: "operator.comms",
  version: "1.0.0",
  displayName: "Communications Rules",
  description:
    "Lets rules look at a contact's calls, messages and voicemail, and send a text, send an email or create a follow-up task in response.",
  owner: "first_party",
  stability: "experimental",
  category: "automation",
  priority: 10,
  tags: ["rules", "calls", "messages"],
  engines: { plugboard: "^1.0.0" },
  permissions: [
    "data:read:conversations",
    "data:read:messages",
    "data:read:tasks",
    "data:write:tasks",
    "event:publish:comms.>",
  ],
  conditions: [
    {
      id: "comms.callCount",
      description:
        "True when the number of calls with a contact in the last windowDays days reaches threshold.",
      params: {
        type: "object",
        properties: {
          contactId: { type: "string", title: "Contact", minLength: 1 },
          direction: {
            type: "string",
            title: "Direction",
            enum: ["inbound", "outbound", "any"],
            default: "any",
          },
          windowDays: { type: "integer", title: "Window (days)", minimum: 1, maximum: 365 },
          threshold: { type: "integer", title: "Threshold", minimum: 1 },
        },
        required: ["contactId", "direction", "windowDays", "threshold"],
        additionalProperties: false,
      },
    },
    {
      id: "comms.lastContact",
      description:
        "True when the latest interaction with a contact, on the given channel, was at most withinDays days ago.",
      params: {
        type: "object",
        properties: {
          contactId: { type: "string", title: "Contact", minLength: 1 },
          channelType: {
            type: "string",
            title: "Channel",
            enum: ["voice", "sms", "email", "any"],
            default: "any",
          },
          withinDays: { type: "integer", title: "Within (days)", minimum: 0 },
        },
        required: ["contactId", "channelType", "withinDays"],
        additionalProperties: false,
      },
    },
    {
      id: "comms.hasVoicemail",
      description:
        "True when at least one voicemail is unheard, from anyone or from the given contact.",
      params: {
        type: "object",
        properties: {
          contactId: { type: "string", title: "Contact", minLength: 1 },
        },
        required: [],
        additionalProperties: false,
      },
    },
    {
      id: "comms.missedCalls",
      description:
        "True when there are at least count missed calls, from anyone or from the given contact.",
      params: {
        type: "object",
        properties: {
          contactId: { type: "string", title: "Contact", minLength: 1 },
          count: { type: "integer", title: "Missed calls", minimum: 1 },
        },
        required: ["count"],
        additionalProperties: false,
      },
    },
  ],
  actions: [
    {
      id: "comms.sendSms",
      description: "Sends a text message through the active SMS channel.",
      params: {
        type: "object",
        properties: {
          to: {
            type: "string",
            title: "To",
            description: "A contact id or a phone number in E.164 form.",
            minLength: 1,
          },
          body: { type: "string", title: "Message", minLength: 1, maxLength: 1600 },
        },
        required: ["to", "body"],
        additionalProperties: false,
      },
    },
    {
      id: "comms.sendEmail",
      description: "Sends an email through the active email channel, optionally as a reply.",
      params: {
        type: "object",
        properties: {
          to: {
            type: "string",
            title: "To",
            description: "A contact id or an email address.",
            minLength: 1,
          },
          subject: { type: "string", title: "Subject", minLength: 1 },
          body: { type: "string", title: "Body", minLength: 1 },
          replyToMessageId: { type: "string", title: "In reply to", minLength: 1 },
        },
        required: ["to", "subject", "body"],
        additionalProperties: false,
      },
    },
    {
      id: "comms.createFollowUp",
      description: "Creates a task flagged as a communication follow-up with a contact.",
      params: {
        type: "object",
        properties: {
          contactId: { type: "string", title: "Contact", minLength: 1 },
          dueAt: { type: "string", title: "Due", format: "date-time" },
          note: { type: "string", title: "Note" },
        },
        required: ["contactId", "dueAt"],
        additionalProperties: false,
      },
    },
  ],
  setupSteps: [
    {
      id: "comms-channels",
      title: "Connect the channels the actions use",
      description:
        "Text and email actions go out through the active SMS and email channels; connect them before enabling rules that send.",
      ctaLabel: "Open connections",
      operatorOnly: true,
      target: { surface: "connections" },
    },
  ],
  docsHref: "/docs/plugins/rule-operators/comms",
  recoveryHints: [
    "A send action that does nothing usually means no channel of that type is enabled.",
  ],
});
