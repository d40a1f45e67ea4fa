import { defineManifest } from "@plugboard/plugin-sdk";

/** A request hook with a module runtime, settings and the permissions its code needs. */
export const rateLimitHook = defineManifest({
  kind: "hook",
  id: "hook.rate-limit",
  version: "1.2.0",
  displayName: "Rate limit",
  description: "Blocks a client that sends more requests per minute than the configured limit.",
  owner: "third_party",
  stability: "pilot",
  category: "gateway",
  tags: ["traffic"],
  engines: { plugboard: "^1.0.0" },
  ring: "pre_flight",
  priority: 100,
  timeoutMs: 50,
  failMode: "open",
  after: ["hook.authenticate"],
  permissions: ["storage:read", "storage:write", "event:publish:gateway.rate-limit.*"],
  configSchema: {
    type: "object",
    properties: {
      maxRequests: { type: "integer", title: "Requests per minute", minimum: 1, default: 60 },
      clientHeader: { type: "string", title: "Client header", default: "x-client-id" },
    },
    required: ["maxRequests"],
  },
  uiSchema: {
    maxRequests: { widget: "number", label: "Requests per minute" },
    clientHeader: { widget: "text", help: "The request header that identifies a client." },
  },
  runtime: { type: "module", entry: "dist/rate-limit.js" },
  recoveryHints: ["Raise maxRequests when legitimate clients are blocked."],
});
