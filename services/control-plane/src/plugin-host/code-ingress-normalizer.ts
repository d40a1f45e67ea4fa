import type { IngressAdapterManifest } from "@plugboard/plugin-sdk";
import { LifecycleError, PluginCodeError, SandboxError } from "@plugboard/runtime";
import { z } from "zod";
import { ApiError } from "../http/problem-handler.js";
import type { CodeNormalizedEvent } from "../ingress/receive-webhook.js";
import type { WebhookDelivery } from "../ingress/webhook-delivery.js";
import type { PluginHost } from "./plugin-host.js";

/** The most route events one delivery may become. */
const MAX_EVENTS = 100;

/** A route event as an adapter's `normalize` returns it, before the host checks it. */
const NormalizedEventSchema = z.strictObject({
  routeKind: z.string().min(1),
  eventId: z.string().min(1).max(255),
  data: z.json(),
});

/**
 * Runs an ingress adapter's `normalize(request)` on its running instance and checks what it
 * returns: 1 to 100 events, each of a route kind the manifest normalises to, with the
 * provider's event id (which makes a redelivery a duplicate). The adapter sees the delivery's
 * headers (credentials already removed), its body as text and when it arrived. What the
 * adapter threw, or an empty list, is the sender's answer as 422 with the plugin's message;
 * an adapter that is not running, runs away or returns something else is answered 503.
 */
export async function normalizeWithCode(
  host: Pick<PluginHost, "instance">,
  adapter: IngressAdapterManifest,
  delivery: WebhookDelivery,
): Promise<CodeNormalizedEvent[]> {
  const held = host.instance(adapter.id);
  if (held === undefined) {
    throw new ApiError(
      "PLUGBOARD_UNAVAILABLE",
      `${adapter.id} normalises webhooks in plugin code, which is not running; see GET /v1/plugins/${adapter.id}/health`,
    );
  }
  let returned: unknown;
  try {
    returned = await held.instance.call("normalize", [
      {
        headers: delivery.headers,
        body: delivery.body.toString("utf8"),
        receivedAt: delivery.receivedAt.toISOString(),
      },
    ]);
  } catch (error) {
    if (error instanceof SandboxError && error.cause instanceof PluginCodeError) {
      throw new ApiError(
        "PLUGBOARD_VALIDATION_FAILED",
        `${adapter.id} refused the payload: ${error.cause.message}`,
        [{ path: "body", code: "payload_refused", message: error.cause.message }],
      );
    }
    if (error instanceof SandboxError || error instanceof LifecycleError) {
      throw new ApiError(
        "PLUGBOARD_UNAVAILABLE",
        `${adapter.id} could not normalise the delivery (${error.code})`,
      );
    }
    throw error;
  } finally {
    held.release();
  }
  if (Array.isArray(returned) && returned.length === 0) {
    throw new ApiError(
      "PLUGBOARD_VALIDATION_FAILED",
      `${adapter.id} found no event in the delivery`,
      [
        {
          path: "body",
          code: "no_event",
          message: "the adapter made no route event of this payload",
        },
      ],
    );
  }
  const parsed = z.array(NormalizedEventSchema).min(1).max(MAX_EVENTS).safeParse(returned);
  const kinds = new Set<string>(adapter.normalizedInputRouteKinds);
  const unknown = parsed.success
    ? parsed.data.find((event) => !kinds.has(event.routeKind))
    : undefined;
  if (!parsed.success || unknown !== undefined) {
    const why = parsed.success
      ? `route kind ${unknown?.routeKind} is not one of its normalizedInputRouteKinds`
      : `normalize returned no list of 1 to ${MAX_EVENTS} { routeKind, eventId, data }`;
    throw new ApiError(
      "PLUGBOARD_UNAVAILABLE",
      `${adapter.id} could not normalise the delivery: ${why}`,
    );
  }
  return parsed.data.map((event) => ({
    routeKind: event.routeKind,
    providerEventId: event.eventId,
    data: event.data,
  }));
}
