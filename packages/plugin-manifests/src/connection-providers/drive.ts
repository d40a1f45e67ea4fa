import { CONNECTION_PROVIDERS, defineManifest } from "@plugboard/plugin-sdk";

/** Google Drive as a read-only knowledge source for workers. */
export const driveProvider = defineManifest({
  kind: "connection_provider",
  id: "provider.drive",
  version: "1.0.0",
  displayName: "Google Drive",
  description:
    "Lets workers read documents from Google Drive as background knowledge. Read-only; it feeds no input routes.",
  owner: "first_party",
  stability: "experimental",
  category: "knowledge",
  priority: 20,
  tags: ["google", "documents"],
  engines: { plugboard: "^1.0.0" },
  provider: CONNECTION_PROVIDERS.drive,
  accessModes: ["read_only"],
  capabilities: ["read_documents"],
  compatibleInputRouteKinds: [],
  setupMode: "browser_oauth",
  secretKeys: ["google_client_id", "google_client_secret"],
  setupSteps: [
    {
      id: "drive-connect",
      title: "Connect Google Drive",
      description:
        "Sign in with Google in the browser and grant read access to the documents workers may use.",
      ctaLabel: "Connect Drive",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.drive },
    },
  ],
  docsHref: "/docs/plugins/connection-providers/drive",
});
