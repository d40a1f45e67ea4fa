import { defineManifest } from "@plugboard/plugin-sdk";

/** Caps requests per caller in a sliding window before any work is done on them. */
export const rateLimitHook = defineManifest({
  kind: "hook",
  id: "hook.rate-limit",
  version: "1.0.0",
  displayName: "Rate Limiter",
  description:
    "Rejects a caller's requests with 429 once they exceed the configured number within the window. Runs first in the pre-flight ring.",
  owner: "first_party",
  stability: "pilot",
  category: "gateway",
  priority: 10,
  tags: ["limits", "abuse"],
  engines: { plugboard: "^1.0.0" },
  // Counters live in the plugin's own key/value store.
  permissions: ["storage:read", "storage:write"],
  ring: "pre_flight",
  timeoutMs: 50,
  // A broken limiter should not take the gateway down with it.
  failMode: "open",
  configSchema: {
    type: "object",
    properties: {
      maxRequests: {
        type: "integer",
        title: "Requests allowed per window",
        minimum: 1,
        maximum: 100_000,
        default: 60,
      },
      windowSeconds: {
        type: "integer",
        title: "Window length (seconds)",
        minimum: 1,
        maximum: 86_400,
        default: 60,
      },
      keyBy: {
        type: "string",
        title: "Count requests per",
        enum: ["api_key", "user", "ip"],
        default: "api_key",
      },
    },
    required: ["maxRequests", "windowSeconds", "keyBy"],
    additionalProperties: false,
  },
  uiSchema: {
    maxRequests: { widget: "number", label: "Requests allowed per window" },
    windowSeconds: {
      widget: "number",
      label: "Window length (seconds)",
      help: "Requests older than this no longer count.",
    },
    keyBy: {
      widget: "select",
      label: "Count requests per",
      options: [
        { value: "api_key", label: "API key" },
        { value: "user", label: "User" },
        { value: "ip", label: "Client IP address" },
      ],
    },
  },
  setupSteps: [
    {
      id: "rate-limit-configure",
      title: "Set the request limit",
      description:
        "Choose how many requests a caller may make per window and how callers are told apart.",
      ctaLabel: "Configure limit",
      operatorOnly: true,
      target: { surface: "setup" },
    },
  ],
  docsHref: "/docs/plugins/hooks/rate-limit",
  recoveryHints: [
    "Callers behind one proxy share an IP address; count per API key or user instead.",
  ],
});
