import { defineManifest } from "@plugboard/plugin-sdk";

/** A channel whose operations are plain HTTP requests, run by the host: no plugin code. */
export const faxlineChannel = defineManifest({
  kind: "channel",
  id: "channel.faxline",
  version: "0.3.0",
  displayName: "Faxline",
  description: "Sends faxes through the Faxline API and reports their delivery status.",
  owner: "third_party",
  stability: "experimental",
  category: "communication",
  engines: { plugboard: "^1.0.0" },
  channelType: "fax",
  operations: ["send_fax", "get_status"],
  secretKeys: ["faxline_api_token"],
  permissions: ["network:outbound:api.faxline.example"],
  runtime: {
    type: "http",
    allowedDomains: ["api.faxline.example"],
    auth: { scheme: "bearer", tokenSecret: "faxline_api_token" },
    operations: {
      send_fax: {
        method: "POST",
        url: "https://api.faxline.example/v2/faxes",
        body: {
          encoding: "multipart",
          fields: { to: "{{ input.to }}" },
          files: { document: "{{ input.documentUrl }}" },
        },
        response: {
          fields: { job_id: "data.id" },
          statusPath: "data.state",
          statusMap: { pending: "queued", sending: "in_progress", sent: "succeeded" },
        },
        timeoutMs: 30_000,
      },
      get_status: {
        method: "GET",
        url: "https://api.faxline.example/v2/faxes/{{ input.jobId }}",
        response: {
          statusPath: "data.state",
          statusMap: {
            pending: "queued",
            sending: "in_progress",
            sent: "succeeded",
            error: "failed",
          },
        },
      },
    },
  },
  setupSteps: [
    {
      id: "faxline-token",
      title: "Add the Faxline API token",
      description: "Create a token in the Faxline dashboard and store it as faxline_api_token.",
      ctaLabel: "Add token",
      operatorOnly: true,
      target: { surface: "connections", focus: "channel.faxline" },
    },
  ],
});
