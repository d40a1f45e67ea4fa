import type { ContextServices } from "./context-services.js";

type Answer = Iterable<string> | PromiseLike<Iterable<string>>;

function isPromiseLike(value: Answer): value is PromiseLike<Iterable<string>> {
  return typeof value === "object" && "then" in value && typeof value.then === "function";
}

/**
 * The host's answer to `knownSecretValues`: the values themselves when the host has them
 * at hand, a promise of them otherwise (none when the host provides no such service).
 */
export function knownSecretValues(
  services: ContextServices,
):
  | { readonly ready: true; readonly values: Iterable<string> }
  | { readonly ready: false; readonly values: PromiseLike<Iterable<string>> } {
  const answer: Answer = services.knownSecretValues?.() ?? [];
  return isPromiseLike(answer) ? { ready: false, values: answer } : { ready: true, values: answer };
}
