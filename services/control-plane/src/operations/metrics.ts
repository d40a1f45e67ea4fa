import type { FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RegistryCache } from "../registry/registry-cache.js";

/**
 * Prometheus metrics of one server: requests by route template, method and status, their
 * latency, and plugins by kind and state. Each server has its own registry, so
 * several servers in one process do not share counters.
 */
export function registerMetrics(app: FastifyInstance, registry: RegistryCache): void {
  const metrics = new Registry();
  const labelNames = ["method", "route", "status"] as const;
  const requests = new Counter({
    name: "plugboard_http_requests_total",
    help: "HTTP requests answered, by method, route template and status code.",
    labelNames,
    registers: [metrics],
  });
  const latency = new Histogram({
    name: "plugboard_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method, route template and status code.",
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics],
  });
  new Gauge({
    name: "plugboard_plugins",
    help: "Plugins known to this host, by kind and state (enabled or disabled).",
    labelNames: ["kind", "state"] as const,
    registers: [metrics],
    async collect() {
      this.reset();
      for (const entry of await registry.entries()) {
        const state = entry.installation.enabled ? "enabled" : "disabled";
        this.inc({ kind: entry.kind, state });
      }
    },
  });

  app.addHook("onResponse", async (request, reply) => {
    // The route template, never the raw URL: ids in paths would make one series per id.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? "unmatched",
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });
  app.get("/metrics", async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()),
  );
}
