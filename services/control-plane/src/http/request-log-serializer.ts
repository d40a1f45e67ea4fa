import type { FastifyRequest } from "fastify";

/**
 * The request fields Fastify logs, with the query string left out of every URL outside the
 * `/v1` API. Webhook URLs take no query string, but a provider misconfigured to send its token
 * as `?token=` must not put it in the log; `/v1` queries are filters and cursors, kept.
 */
export function serializeRequestForLog(request: FastifyRequest) {
  const url = request.url;
  const query = url.indexOf("?");
  return {
    method: request.method,
    url: query < 0 || url.startsWith("/v1/") ? url : `${url.slice(0, query)}?[query omitted]`,
    host: request.host,
    remoteAddress: request.ip,
    ...(request.socket.remotePort === undefined ? {} : { remotePort: request.socket.remotePort }),
  };
}
