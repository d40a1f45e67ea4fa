import type { Issue, PluginSecretsResponse } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import { findPlugin } from "../plugins/find-plugin.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import { storedSecretKeys, writeSecrets } from "../secrets/secret-store.js";
import type { SecretVault } from "../secrets/secret-vault.js";
import type { Schema } from "../store/schema.js";

async function secretStatuses(
  db: Kysely<Schema>,
  pluginId: string,
  declared: readonly string[],
): Promise<PluginSecretsResponse> {
  const stored = await storedSecretKeys(db, pluginId);
  return {
    pluginId,
    secrets: declared.map((key) => ({
      key,
      set: stored.has(key),
      updatedAt: stored.get(key) ?? null,
    })),
  };
}

/**
 * GET/PUT /v1/plugins/{id}/secrets. Values are sealed by the vault before they reach the
 * database and are never read back by the API: responses, errors and audit entries carry
 * key names only.
 */
export function pluginSecretHandlers(
  db: Kysely<Schema>,
  registry: RegistryCache,
  vault: SecretVault,
): Pick<RouteHandlers, "getPluginSecrets" | "updatePluginSecrets"> {
  return {
    async getPluginSecrets({ params: { id } }) {
      const plugin = await findPlugin(registry, id);
      return secretStatuses(db, id, plugin.secretKeys ?? []);
    },

    async updatePluginSecrets({ params: { id }, body, principal }) {
      const plugin = await findPlugin(registry, id);
      const declared = plugin.secretKeys ?? [];
      const keys = Object.keys(body.secrets);
      const expected =
        declared.length === 0
          ? `${id} declares no secretKeys`
          : `expected one of ${declared.join(", ")}`;
      const issues: Issue[] = keys
        .filter((key) => !declared.includes(key))
        .map((key) => ({
          path: `secrets.${key}`,
          message: `unknown secret key "${key}": ${expected}`,
          code: "unrecognized_key",
        }));
      if (keys.length === 0) {
        issues.push({
          path: "secrets",
          message: "name at least one secret key",
          code: "too_small",
        });
      }
      if (issues.length > 0) {
        throw new ApiError(
          "PLUGBOARD_VALIDATION_FAILED",
          `the secrets do not match the secretKeys of ${id}`,
          issues,
        );
      }
      await db.transaction().execute(async (trx) => {
        const changes = await writeSecrets(trx, vault, id, body.secrets);
        await recordAudit(trx, {
          actor: principal.tokenId,
          action: "secrets.update",
          target: id,
          detail: { stored: changes.stored, deleted: changes.deleted },
        });
      });
      // Stored secrets decide which providers are connected and which setup steps are done.
      registry.invalidate();
      return secretStatuses(db, id, declared);
    },
  };
}
