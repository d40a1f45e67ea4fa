import { CONNECTION_PROVIDERS, defineManifest } from "@plugboard/plugin-sdk";

/** Google Calendar as a read-only source of meetings for workers. */
export const calendarProvider = defineManifest({
  kind: "connection_provider",
  id: "provider.calendar",
  version: "1.0.0",
  displayName: "Google Calendar",
  description:
    "Lets workers read upcoming and past meetings, for example to prepare a recap. Read-only; it feeds no input routes.",
  owner: "first_party",
  stability: "experimental",
  category: "knowledge",
  priority: 10,
  tags: ["google", "meetings"],
  engines: { plugboard: "^1.0.0" },
  provider: CONNECTION_PROVIDERS.calendar,
  accessModes: ["read_only"],
  capabilities: ["read_events"],
  compatibleInputRouteKinds: [],
  setupMode: "browser_oauth",
  secretKeys: ["google_client_id", "google_client_secret"],
  setupSteps: [
    {
      id: "calendar-connect",
      title: "Connect Google Calendar",
      description: "Sign in with Google in the browser and grant read access to calendars.",
      ctaLabel: "Connect Calendar",
      operatorOnly: true,
      target: { surface: "connections", focus: CONNECTION_PROVIDERS.calendar },
    },
  ],
  docsHref: "/docs/plugins/connection-providers/calendar",
});
