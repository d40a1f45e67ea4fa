import type { IngressAdapterManifest } from "@plugboard/plugin-sdk";
import { ApiError } from "../../http/problem-handler.js";
import { gmailWatchHookNormalizer } from "./gmail-watch-hook.js";
import type { IngressNormalizer } from "./ingress-normalizer.js";
import { passthroughNormalizer } from "./passthrough.js";
import { postmarkForwardEmailNormalizer } from "./postmark-forward-email.js";

/** The normalisers shipped with the control plane, by the id of the adapter they serve. */
export const FIRST_PARTY_NORMALIZERS: ReadonlyMap<string, IngressNormalizer> = new Map([
  ["ingress.postmark.forward-email", postmarkForwardEmailNormalizer],
  ["ingress.gmail.watch-hook", gmailWatchHookNormalizer],
]);

/**
 * How an adapter's deliveries become route events: its first-party normaliser; for an
 * adapter without code, the body as the data of its first route kind. An adapter with a code
 * runtime is normalised by its `normalize` handler in the sandbox, not here: its webhooks
 * answer 503 rather than being guessed at when one reaches this.
 */
export function normalizerFor(adapter: IngressAdapterManifest): IngressNormalizer {
  const firstParty = FIRST_PARTY_NORMALIZERS.get(adapter.id);
  if (firstParty !== undefined) return firstParty;
  if (adapter.runtime !== undefined) {
    throw new ApiError(
      "PLUGBOARD_UNAVAILABLE",
      `${adapter.id} normalises webhooks in plugin code, which this host does not run for ingress adapters`,
    );
  }
  return passthroughNormalizer(adapter);
}
