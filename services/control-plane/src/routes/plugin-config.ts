import type { ConfigValues, PluginConfig } from "@plugboard/contracts";
import type { FastifyReply } from "fastify";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import { expectedRevision, revisionEtag } from "../http/revision-etag.js";
import {
  currentConfig,
  findConfigRevision,
  insertConfigRevision,
  latestRevision,
  listConfigRevisions,
  type StoredConfig,
} from "../plugin-config/config-store.js";
import { validateConfig } from "../plugin-config/config-validation.js";
import { nativeConfigIssues } from "../plugin-host/native-hooks.js";
import { findPlugin } from "../plugins/find-plugin.js";
import type { PluginRuntimeView } from "../plugins/plugin-store.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";
import { isUniqueViolation } from "../store/unique-violation.js";

function toPluginConfig(pluginId: string, stored: StoredConfig | undefined): PluginConfig {
  return {
    pluginId,
    revision: stored?.revision ?? 0,
    config: stored?.config ?? {},
    updatedAt: stored?.createdAt ?? null,
    updatedBy: stored?.createdBy ?? null,
    restoredFrom: stored?.restoredFrom ?? null,
  };
}

function staleRevision(pluginId: string, expected: number, current: number | undefined) {
  const now = current === undefined ? "has a newer revision" : `is at revision ${current}`;
  const message = `the config of ${pluginId} ${now}, not ${expected}: read it again and reapply your change`;
  return new ApiError("PLUGBOARD_CONFLICT", message, [
    { path: "headers.if-match", message: "stale revision", code: "stale_revision" },
  ]);
}

/** Answers with the config and its revision as the ETag. */
function withEtag(reply: FastifyReply, config: PluginConfig): PluginConfig {
  void reply.header("etag", revisionEtag(config.revision));
  return config;
}

/**
 * GET/PUT /v1/plugins/{id}/config, its revision list and rollback. Every write is a new
 * revision, guarded by If-Match (compare-and-swap on the revision) and audited with the
 * revisions before and after in the same transaction.
 */
export function pluginConfigHandlers(
  db: Kysely<Schema>,
  registry: RegistryCache,
  runtime: Pick<PluginRuntimeView, "apply">,
): Pick<
  RouteHandlers,
  "getPluginConfig" | "updatePluginConfig" | "listConfigRevisions" | "rollbackPluginConfig"
> {
  const writeRevision = async (write: {
    readonly pluginId: string;
    readonly expected: number;
    readonly config: ConfigValues;
    readonly actor: string;
    readonly restoredFrom: number | null;
  }): Promise<StoredConfig> => {
    const { pluginId, expected } = write;
    let stored: StoredConfig;
    try {
      // A running plugin is loaded and probed with the new config before it is stored.
      stored = await runtime.apply({
        pluginId,
        path: write.restoredFrom === null ? "config" : "revision",
        write: async (trx) => {
          const previous = await latestRevision(trx, pluginId);
          if (previous !== expected) throw staleRevision(pluginId, expected, previous);
          const written = await insertConfigRevision(trx, {
            pluginId,
            previous,
            config: write.config,
            actor: write.actor,
            restoredFrom: write.restoredFrom,
          });
          await recordAudit(trx, {
            actor: write.actor,
            action: write.restoredFrom === null ? "config.update" : "config.rollback",
            target: pluginId,
            beforeRevision: previous === 0 ? null : String(previous),
            afterRevision: String(written.revision),
            detail: {
              keys: Object.keys(write.config),
              ...(write.restoredFrom === null ? {} : { restoredFrom: write.restoredFrom }),
            },
          });
          return written;
        },
      });
    } catch (error) {
      // Another writer inserted the same revision between our read and our insert.
      if (isUniqueViolation(error)) throw staleRevision(pluginId, expected, undefined);
      throw error;
    } finally {
      registry.invalidate();
    }
    return stored;
  };

  return {
    async getPluginConfig({ params: { id }, reply }) {
      await findPlugin(registry, id);
      return withEtag(reply, toPluginConfig(id, await currentConfig(db, id)));
    },

    async updatePluginConfig({ params: { id }, body, principal, request, reply }) {
      const plugin = await findPlugin(registry, id);
      const expected = expectedRevision(request, `/v1/plugins/${id}/config`);
      const issues = [
        ...validateConfig(plugin.configSchema, body.config),
        ...nativeConfigIssues(id, body.config),
      ];
      if (issues.length > 0) {
        throw new ApiError(
          "PLUGBOARD_VALIDATION_FAILED",
          `the config does not satisfy the configSchema of ${id}`,
          issues,
        );
      }
      const stored = await writeRevision({
        pluginId: id,
        expected,
        config: body.config,
        actor: principal.tokenId,
        restoredFrom: null,
      });
      return withEtag(reply, toPluginConfig(id, stored));
    },

    async listConfigRevisions({ params: { id } }) {
      await findPlugin(registry, id);
      return { pluginId: id, revisions: await listConfigRevisions(db, id) };
    },

    async rollbackPluginConfig({ params: { id }, body, principal, request, reply }) {
      const plugin = await findPlugin(registry, id);
      const expected = expectedRevision(request, `/v1/plugins/${id}/config`);
      const restored = await findConfigRevision(db, id, body.revision);
      if (restored === undefined) {
        const message = `the config of ${id} has no revision ${body.revision}`;
        throw new ApiError("PLUGBOARD_NOT_FOUND", message, [
          { path: "revision", message, code: "not_found" },
        ]);
      }
      const issues = [
        ...validateConfig(plugin.configSchema, restored.config),
        ...nativeConfigIssues(id, restored.config),
      ];
      if (issues.length > 0) {
        throw new ApiError(
          "PLUGBOARD_VALIDATION_FAILED",
          `revision ${body.revision} does not satisfy the current configSchema of ${id}`,
          issues,
        );
      }
      const stored = await writeRevision({
        pluginId: id,
        expected,
        config: restored.config,
        actor: principal.tokenId,
        restoredFrom: restored.revision,
      });
      return withEtag(reply, toPluginConfig(id, stored));
    },
  };
}
