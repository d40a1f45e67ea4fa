import { firstPartyManifests } from "@plugboard/plugin-manifests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

/** The value of one series in a Prometheus text exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("health, readiness and metrics", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("operations");
  });
  afterAll(() => server.stop());

  it("answers /health and /ready without a token", async () => {
    const health = await server.request("GET", "/health", { token: null });
    expect(health.status).toBe(200);
    const ready = await server.request("GET", "/ready", { token: null });
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ready" }]);
  });

  it("counts requests by route template, method and status, with latencies", async () => {
    await server.request("GET", "/v1/plugins/provider.smtp-relay");
    await server.request("GET", "/v1/plugins/provider.drive");
    await server.request("GET", "/v1/plugins/provider.nothing");
    await server.request("GET", "/v1/plugins/provider.drive", { token: null });
    const response = await server.request("GET", "/metrics", { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    const series = (status: number) =>
      `plugboard_http_requests_total{method="GET",route="/v1/plugins/:id",status="${status}"}`;
    expect(sample(text, series(200))).toBe(2);
    expect(sample(text, series(404))).toBe(1);
    expect(sample(text, series(401))).toBe(1);
    expect(
      sample(
        text,
        'plugboard_http_request_duration_seconds_count{method="GET",route="/v1/plugins/:id",status="200"}',
      ),
    ).toBe(2);
    expect(text).not.toContain("provider.drive");
  });

  it("reports plugins by kind and state", async () => {
    const providers = firstPartyManifests.filter((m) => m.kind === "connection_provider").length;
    const scrape = async () => (await server.request("GET", "/metrics", { token: null })).text();
    const enabled = 'plugboard_plugins{kind="connection_provider",state="enabled"}';
    expect(sample(await scrape(), enabled)).toBe(providers);
  });

  it("labels requests to no route as unmatched rather than by their URL", async () => {
    await server.request("GET", "/nowhere/123", { token: null });
    const text = await (await server.request("GET", "/metrics", { token: null })).text();
    expect(
      sample(text, 'plugboard_http_requests_total{method="GET",route="unmatched",status="404"}'),
    ).toBe(1);
    expect(text).not.toContain("/nowhere/123");
  });
});
