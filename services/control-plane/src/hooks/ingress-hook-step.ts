import type { JsonValue } from "@plugboard/plugin-sdk";
import type { IngressStep } from "../ingress/ingress-pipeline.js";
import type { WebhookDelivery } from "../ingress/webhook-delivery.js";
import type { HookSeamLog, HookSource } from "./hook-source.js";

const isJson = (contentType: string) =>
  contentType === "application/json" || contentType.endsWith("+json");

/** The body as hooks see it: parsed JSON for a JSON delivery that parses, else the text. */
function bodyForHooks(delivery: WebhookDelivery): { body: JsonValue; json: boolean } {
  const text = delivery.body.toString("utf8");
  if (isJson(delivery.contentType)) {
    try {
      return { body: JSON.parse(text) as JsonValue, json: true };
    } catch {
      // A malformed JSON body reaches hooks as text; the normaliser refuses it later.
    }
  }
  return { body: text, json: false };
}

/**
 * The `ingress` ring as a step of the webhook pipeline. Hooks see `POST /webhooks/<adapter>`
 * with the delivery's headers (credentials already removed, plus `x-plugboard-client-ip`)
 * and its body, parsed when it is JSON. `modify` changes what is normalised and stored;
 * `block` answers with the hook's status and nothing is stored; `respond` answers with the
 * hook's body and nothing is stored; a fail-closed hook that fails answers 503.
 */
export function ingressHookStep(hooks: HookSource, log: HookSeamLog): IngressStep {
  return {
    name: "ingress hooks",
    async run(delivery) {
      if (!hooks.hasHooks("ingress")) return { action: "continue" };
      const lease = hooks.acquire();
      try {
        const { body, json } = bodyForHooks(delivery);
        const headers = {
          ...delivery.headers,
          ...(delivery.clientIp === undefined
            ? {}
            : { "x-plugboard-client-ip": delivery.clientIp }),
        };
        const outcome = await lease.pipeline.run("ingress", {
          method: "POST",
          path: `/webhooks/${delivery.adapter.id}`,
          headers,
          body,
        });
        switch (outcome.outcome) {
          case "continue": {
            const { request } = outcome;
            const bodyChanged = request.body !== body;
            const text =
              typeof request.body === "string" && !json
                ? request.body
                : JSON.stringify(request.body);
            return {
              action: "modify",
              ...(bodyChanged ? { body: Buffer.from(text, "utf8") } : {}),
              ...(request.headers === headers ? {} : { headers: request.headers }),
            };
          }
          case "block":
            return {
              action: "reject",
              code: "PLUGBOARD_HOOK_BLOCKED",
              status: outcome.status,
              detail: `${outcome.hookId} refused the delivery: ${outcome.message}`,
              errors: [{ path: outcome.hookId, code: outcome.type, message: outcome.message }],
            };
          case "respond":
            return { action: "answer", status: outcome.status, body: outcome.body };
          case "fail":
            log.warn(
              { err: outcome.error, hookId: outcome.hookId, failure: outcome.failure },
              "a fail-closed ingress hook failed; the delivery was refused",
            );
            return {
              action: "reject",
              code: "PLUGBOARD_HOOK_FAILED",
              detail: `hook ${outcome.hookId} failed (${outcome.failure}) and fails closed; try again later`,
            };
          default: {
            const exhaustive: never = outcome;
            return exhaustive;
          }
        }
      } finally {
        lease.release();
      }
    },
  };
}
