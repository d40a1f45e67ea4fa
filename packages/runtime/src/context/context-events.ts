import { randomUUID } from "node:crypto";
import {
  PERMISSION_PATTERN,
  type PluginEvent,
  type PluginEvents,
  type PluginSubscription,
} from "@plugboard/plugin-sdk";
import { ContextError } from "./context-errors.js";
import {
  type ContextScope,
  callService,
  requireService,
  requireText,
  typeName,
} from "./context-scope.js";
import type { BusEvent } from "./context-services.js";
import { copyJson } from "./json-copy.js";
import { requirePermission } from "./require-permission.js";
import { createTokenBucket } from "./token-bucket.js";

/** A subject to publish on: tokens of letters, digits, `_` and `-`, no wildcards. */
const SUBJECT = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;
const MAX_SUBJECT_LENGTH = 256;

function toPluginEvent(event: BusEvent): PluginEvent {
  return {
    id: event.id,
    subject: event.type,
    time: event.time,
    source: event.source,
    data: copyJson(event.data, Number.POSITIVE_INFINITY, "event data"),
  };
}

/**
 * Publish and subscribe within the plugin's `event:publish:` and `event:subscribe:` grants,
 * on the host's bus. Published events carry the plugin's id as `source`; a context publishes
 * at most `publishBurst` events at once and `maxPublishPerSecond` on average.
 */
export function createContextEvents(scope: ContextScope): PluginEvents {
  const { grants, limits, services } = scope;
  const publishAllowance = createTokenBucket(limits.maxPublishPerSecond, limits.publishBurst);
  let subscriptions = 0;
  return Object.freeze({
    async publish(subject: unknown, data: unknown): Promise<void> {
      const operation = "events.publish";
      const checked = requireText(subject, `${operation}: the subject`, MAX_SUBJECT_LENGTH);
      if (!SUBJECT.test(checked)) {
        throw new ContextError(
          "invalid_argument",
          `${operation}: the subject must be dot-separated tokens of letters, digits, _ and - (such as orders.created), got "${checked}"`,
        );
      }
      requirePermission(grants, `event:publish:${checked}`, operation);
      const copied = copyJson(data, limits.maxEventDataLength, `${operation}: data`);
      const bus = requireService(services.events, operation, "event bus");
      // Only a call that would publish spends from the allowance.
      if (!publishAllowance.take()) {
        throw new ContextError(
          "limit_exceeded",
          `${operation}: plugin "${grants.pluginId}" publishes faster than its limit (maxPublishPerSecond) of ${limits.maxPublishPerSecond} events a second, after a burst (publishBurst) of ${limits.publishBurst}`,
        );
      }
      const id = randomUUID();
      await callService(operation, () =>
        bus.publish({
          id,
          type: checked,
          version: 1,
          time: new Date().toISOString(),
          source: grants.pluginId,
          correlationId: id,
          data: copied,
        }),
      );
    },

    async subscribe(pattern: unknown, handler: unknown): Promise<PluginSubscription> {
      const operation = "events.subscribe";
      const checked = requireText(pattern, `${operation}: the pattern`, MAX_SUBJECT_LENGTH);
      const permission = `event:subscribe:${checked}`;
      if (!PERMISSION_PATTERN.test(permission)) {
        throw new ContextError(
          "invalid_argument",
          `${operation}: the pattern must be dot-separated tokens, * for one token and a final > for the rest (such as orders.*), got "${checked}"`,
        );
      }
      requirePermission(grants, permission, operation);
      if (typeof handler !== "function") {
        throw new ContextError(
          "invalid_argument",
          `${operation}: the handler must be a function, got ${typeName(handler)}`,
        );
      }
      if (subscriptions >= limits.maxSubscriptions) {
        throw new ContextError(
          "limit_exceeded",
          `${operation}: plugin "${grants.pluginId}" already holds ${limits.maxSubscriptions} subscriptions`,
        );
      }
      const bus = requireService(services.events, operation, "event bus");
      const deliver = (event: BusEvent): unknown => handler(toPluginEvent(event));
      const subscription = await callService(operation, () =>
        bus.subscribe(checked, async (event) => {
          await deliver(event);
        }),
      );
      subscriptions += 1;
      let active = true;
      return Object.freeze({
        async unsubscribe(): Promise<void> {
          if (!active) return;
          active = false;
          subscriptions -= 1;
          await callService("subscription.unsubscribe", () => subscription.unsubscribe());
        },
      });
    },
  });
}
