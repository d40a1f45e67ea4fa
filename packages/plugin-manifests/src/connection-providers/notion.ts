import { CONNECTION_PROVIDERS, defineManifest } from "@plugboard/plugin-sdk";

/** A Notion workspace as a read-only knowledge source for workers. */
export const notionProvider = defineManifest({
  kind: "connection_provider",
  id: "provider.notion",
  version: "1.0.0",
  displayName: "Notion",
  description:
    "Lets workers read pages and databases shared with the Plugboard integration. Read-only; it feeds no input routes.",
  owner: "first_party",
  stability: "experimental",
  category: "knowledge",
  priority: 30,
  tags: ["notes", "documents"],
  engines: { plugboard: "^1.0.0" },
  provider: CONNECTION_PROVIDERS.notion,
  accessModes: ["read_only"],
  capabilities: ["read_pages"],
  compatibleInputRouteKinds: [],
  setupMode: "browser_oauth",
  secretKeys: ["notion_client_id", "notion_client_secret"],
  setupSteps: [
    {
      id: "notion-connect",
      title: "Connect Notion",
      description:
        "Authorise the integration in the browser, then share the pages workers may read with it.",
      ctaLabel: "Connect Notion",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.notion },
    },
  ],
  docsHref: "/docs/plugins/connection-providers/notion",
});
