import { defineManifest } from "@plugboard/plugin-sdk";

/** Masks personal data in responses before they leave the gateway. */
export const piiRedactorHook = defineManifest({
  kind: "hook",
  id: "hook.pii-redactor",
  version: "1.0.0",
  displayName: "PII Redactor",
  description:
    "Replaces email addresses, phone numbers and any extra patterns in responses with a placeholder. Fails closed: a response it could not check is not sent.",
  owner: "first_party",
  stability: "pilot",
  category: "gateway",
  priority: 20,
  tags: ["privacy", "redaction"],
  engines: { plugboard: "^1.0.0" },
  ring: "post_flight",
  timeoutMs: 200,
  // Letting an unchecked response through would defeat the point of the hook.
  failMode: "closed",
  configSchema: {
    type: "object",
    properties: {
      redactEmails: { type: "boolean", title: "Redact email addresses", default: true },
      redactPhones: { type: "boolean", title: "Redact phone numbers", default: true },
      replacement: {
        type: "string",
        title: "Replacement text",
        minLength: 1,
        maxLength: 64,
        default: "[redacted]",
      },
      extraPatterns: {
        type: "array",
        title: "Extra patterns",
        description: "Regular expressions for anything else to redact, such as account numbers.",
        items: { type: "string" },
        maxItems: 50,
        default: [],
      },
    },
    required: ["redactEmails", "redactPhones", "replacement"],
    additionalProperties: false,
  },
  uiSchema: {
    redactEmails: { widget: "boolean", label: "Redact email addresses" },
    redactPhones: { widget: "boolean", label: "Redact phone numbers" },
    replacement: {
      widget: "text",
      label: "Replacement text",
      placeholder: "[redacted]",
    },
    extraPatterns: {
      widget: "array",
      label: "Extra patterns",
      help: "One regular expression per entry.",
    },
  },
  setupSteps: [
    {
      id: "pii-redactor-configure",
      title: "Choose what to redact",
      description: "Turn email and phone redaction on or off and add patterns of your own.",
      ctaLabel: "Configure redaction",
      operatorOnly: true,
      target: { surface: "setup" },
    },
  ],
  docsHref: "/docs/plugins/hooks/pii-redactor",
  recoveryHints: [
    "If responses are being blocked, an extra pattern may be invalid or too slow; remove it and check again.",
  ],
});
