import {
  type ApiErrorCode,
  PluginIdSchema,
  toWire,
  WebhookAcknowledgementSchema,
} from "@plugboard/contracts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "../http/problem-handler.js";
import { findEnabledIngressAdapter } from "../ingress/ingress-adapters.js";
import { IngressAnswer } from "../ingress/ingress-pipeline.js";
import { receiveWebhook, type WebhookReceiver } from "../ingress/receive-webhook.js";
import { mediaType } from "../ingress/webhook-delivery.js";

export interface WebhookRouteOptions {
  readonly receiver: WebhookReceiver;
  /** The largest body accepted, in bytes; larger ones are refused with 413 unread. */
  readonly bodyLimit: number;
}

const WEBHOOK_ROUTE = "/webhooks/:pluginId";

/**
 * True for a request the webhook route serves. Fastify's two generic lines per request are
 * left out for these: the route writes one line per answer instead, naming the adapter and the
 * event or the problem, and never the URL.
 */
export function isWebhookRequest(request: FastifyRequest): boolean {
  return request.routeOptions.url === WEBHOOK_ROUTE;
}

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"];

/** Whether a logger set to `threshold` writes lines at `level`. */
const logs = (threshold: string, level: string) =>
  LOG_LEVELS.includes(threshold) && LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);

/** What the answer line of a webhook says beyond its status. */
type WebhookOutcome =
  | { readonly eventId: string; readonly duplicate: boolean }
  | { readonly code: ApiErrorCode }
  | { readonly answeredBy: string };

/** Refuses a webhook URL with a query string, where credentials must never travel. */
function queryRefused(): ApiError {
  return new ApiError(
    "PLUGBOARD_WEBHOOK_QUERY_REFUSED",
    "webhook URLs take no query string: send the token in the Authorization header, never in the URL, where proxies and access logs keep it",
    [
      {
        path: "query",
        code: "query_refused",
        message:
          "expected no query string; credentials go in a header (only an oauth_callback adapter's GET redirect carries code and state in its query)",
      },
    ],
  );
}

/**
 * POST /webhooks/{pluginId}, and GET for the redirect of an `oauth_callback` adapter: not
 * `/v1` routes, since a provider authenticates with the adapter's own credentials rather
 * than an API token. Registered in a scope of its own, whose only body parser keeps the exact
 * bytes of any content type (signatures are computed over them) up to its own size limit;
 * the rest of the API keeps its JSON parser. A query string is refused when the request
 * arrives, before its body is read, unless it is a GET to an enabled oauth_callback adapter.
 */
export function registerWebhookRoutes(app: FastifyInstance, options: WebhookRouteOptions): void {
  const outcomes = new WeakMap<FastifyRequest, WebhookOutcome>();
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: options.bodyLimit },
      (_request, body, done) => done(null, body),
    );
    const onRequest = async (request: FastifyRequest<{ Params: { pluginId: string } }>) => {
      if (!request.url.includes("?")) return;
      if (
        request.method === "GET" &&
        (await findEnabledIngressAdapter(options.receiver.registry, request.params.pluginId))
          ?.authentication === "oauth_callback"
      ) {
        return;
      }
      outcomes.set(request, { code: "PLUGBOARD_WEBHOOK_QUERY_REFUSED" });
      throw queryRefused();
    };
    const onResponse = async (
      request: FastifyRequest<{ Params: { pluginId: string } }>,
      reply: FastifyReply,
    ) => {
      // An accepted webhook is recorded as an event (GET /v1/events); a refused one is
      // what an operator looks for in the log.
      const level = reply.statusCode < 300 ? "debug" : "info";
      if (!logs(request.log.level, level)) return;
      const { pluginId } = request.params;
      request.log[level](
        {
          // Only a plugin id: a provider that put its token in the path must not log it.
          ...(PluginIdSchema.safeParse(pluginId).success ? { pluginId } : {}),
          statusCode: reply.statusCode,
          ...outcomes.get(request),
          responseTime: reply.elapsedTime,
        },
        "webhook answered",
      );
    };
    const receive = async (
      request: FastifyRequest<{ Params: { pluginId: string } }>,
      reply: FastifyReply,
    ) => {
      const receivedAt = new Date();
      const query = request.url.indexOf("?");
      try {
        const acknowledgement = await receiveWebhook(options.receiver, request.params.pluginId, {
          headers: request.headers,
          contentType: mediaType(request.headers["content-type"]),
          body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          receivedAt,
          clientIp: request.ip,
          ...(request.method === "GET"
            ? { query: new URLSearchParams(query < 0 ? "" : request.url.slice(query + 1)) }
            : {}),
        });
        outcomes.set(request, acknowledgement);
        return reply
          .status(acknowledgement.duplicate ? 200 : 202)
          .send(toWire(WebhookAcknowledgementSchema, acknowledgement));
      } catch (error) {
        if (error instanceof IngressAnswer) {
          outcomes.set(request, { answeredBy: error.message });
          return reply
            .status(error.status)
            .type("application/json")
            .send(JSON.stringify(error.body));
        }
        if (error instanceof ApiError) outcomes.set(request, { code: error.code });
        throw error;
      }
    };
    scope.post(WEBHOOK_ROUTE, { bodyLimit: options.bodyLimit, onRequest, onResponse }, receive);
    scope.get(WEBHOOK_ROUTE, { exposeHeadRoute: false, onRequest, onResponse }, receive);
  });
}
