import type { IngressAdapterManifest } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import { ApiError } from "../http/problem-handler.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { SecretVault } from "../secrets/secret-vault.js";
import type { Schema } from "../store/schema.js";
import { tokenDigest } from "./shared-token.js";

/**
 * The secret an adapter checks deliveries against (the shared token, or the signing secret):
 * the first key its manifest declares in `secretKeys`, stored per installation through
 * `PUT /v1/plugins/{id}/secrets`.
 */
export function webhookSecretKey(adapter: IngressAdapterManifest): string | undefined {
  return adapter.secretKeys?.[0];
}

/**
 * Opens the adapter's webhook secret. Answers 503 while none is stored, so a provider that
 * retries on 5xx delivers once the operator has stored it.
 */
async function readWebhookSecret(
  db: Kysely<Schema>,
  vault: SecretVault,
  adapter: IngressAdapterManifest,
): Promise<string> {
  const key = webhookSecretKey(adapter);
  if (key === undefined) {
    throw new ApiError(
      "PLUGBOARD_UNAVAILABLE",
      `${adapter.id} declares no secret key to verify webhooks with`,
    );
  }
  const row = await db
    .selectFrom("secrets")
    .select("sealed")
    .where("plugin_id", "=", adapter.id)
    .where("key", "=", key)
    .executeTakeFirst();
  if (row === undefined) {
    throw new ApiError(
      "PLUGBOARD_UNAVAILABLE",
      `${adapter.id} has no ${key} stored; set it with PUT /v1/plugins/${adapter.id}/secrets`,
    );
  }
  return vault.open(adapter.id, key, row.sealed);
}

/**
 * How long an opened secret is reused. A change stored through this process applies at once
 * (the secrets route invalidates the registry, which holds the cache); one stored through
 * another replica applies within this time.
 */
export const WEBHOOK_SECRET_REUSE_MS = 5_000;

/** An adapter's opened webhook secret. */
export interface WebhookSecret {
  readonly value: string;
  /** The SHA-256 digest presented shared tokens are compared with. */
  readonly digest: Buffer;
}

/** The webhook secrets of ingress adapters, read and opened at most once per interval. */
export interface WebhookSecrets {
  read(adapter: IngressAdapterManifest): Promise<WebhookSecret>;
}

export function createWebhookSecrets(
  db: Kysely<Schema>,
  vault: SecretVault,
  registry: RegistryCache,
): WebhookSecrets {
  return {
    async read(adapter) {
      const opened = await registry.derived(
        "webhook-secrets",
        () => new Map<string, { readonly secret: WebhookSecret; readonly readAt: number }>(),
      );
      const now = Date.now();
      const cached = opened.get(adapter.id);
      if (cached !== undefined && now - cached.readAt < WEBHOOK_SECRET_REUSE_MS) {
        return cached.secret;
      }
      const value = await readWebhookSecret(db, vault, adapter);
      const secret = { value, digest: tokenDigest(value) };
      opened.set(adapter.id, { secret, readAt: now });
      return secret;
    },
  };
}
