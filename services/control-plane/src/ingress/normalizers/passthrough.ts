import type { IngressAdapterManifest, JsonValue } from "@plugboard/plugin-sdk";
import { ApiError } from "../../http/problem-handler.js";
import { parseFormBody, parseJsonBody } from "../webhook-body.js";
import type { WebhookDelivery } from "../webhook-delivery.js";
import type { IngressNormalizer } from "./ingress-normalizer.js";

function payload(delivery: WebhookDelivery): JsonValue {
  if (delivery.body.length === 0) return null;
  const type = delivery.contentType;
  if (type === "application/json" || type.endsWith("+json")) return parseJsonBody(delivery.body);
  if (type === "application/x-www-form-urlencoded") return parseFormBody(delivery.body);
  throw new ApiError(
    "PLUGBOARD_UNSUPPORTED_MEDIA_TYPE",
    `${delivery.adapter.id} accepts JSON or form bodies, not ${type === "" ? "a body without a content type" : type}`,
  );
}

/**
 * For an adapter without code: the JSON (or form) body becomes the data of a route event of
 * the first route kind the manifest declares. The payload carries no event id the host can
 * know, so the id comes from `webhook-id` or the body's digest.
 */
export function passthroughNormalizer(adapter: IngressAdapterManifest): IngressNormalizer {
  const [routeKind = ""] = adapter.normalizedInputRouteKinds;
  return {
    routeKind,
    version: 1,
    normalize: (delivery) => ({ providerEventId: undefined, data: payload(delivery) }),
  };
}
