import type { PluginSecrets, SecretHandle } from "@plugboard/plugin-sdk";
import { ContextError } from "./context-errors.js";
import type { ContextScope } from "./context-scope.js";

/**
 * The message for a secret key the manifest does not declare. The sandbox's bootstrap
 * writes the same text inside the isolate (a test compares the two).
 */
export function undeclaredSecretMessage(key: unknown, declared: readonly string[]): string {
  const named = typeof key === "string" ? `"${key.slice(0, 100)}"` : `a ${typeof key}`;
  const list = declared.length === 0 ? "none" : declared.join(", ");
  return `secrets.handle: ${named} is not one of the manifest's secretKeys (${list})`;
}

/** Throws `permission_denied` unless `key` is one of the manifest's `secretKeys`. */
export function requireDeclaredSecret(scope: ContextScope, key: unknown): string {
  if (typeof key === "string" && scope.secretKeys.includes(key)) return key;
  throw new ContextError("permission_denied", undeclaredSecretMessage(key, scope.secretKeys));
}

/** Handles for the manifest's `secretKeys`; the values stay with the host. */
export function createContextSecrets(scope: ContextScope): PluginSecrets {
  return Object.freeze({
    handle(key: unknown): SecretHandle {
      return Object.freeze({ kind: "secret_handle", key: requireDeclaredSecret(scope, key) });
    },
  });
}
