import type { ConfigValue, PluginContext } from "@plugboard/plugin-sdk";
import {
  type ContextManifest,
  createPluginContext,
  type PluginLogRecord,
  sendEgressRequest,
} from "@plugboard/runtime";
import type { FastifyBaseLogger } from "fastify";
import type { EgressSettings } from "../config.js";
import type { EventBus } from "../events/event-bus.js";
import { createDatabasePluginData } from "../plugin-data/database-plugin-data.js";
import { createDatabasePluginStorage } from "../plugin-storage/database-plugin-storage.js";
import type { SecretVault } from "../secrets/secret-vault.js";
import type { Database } from "../store/database.js";
import { egressLookup, egressPolicyFor } from "./egress-settings.js";
import { pluginSecretValues } from "./plugin-secret-values.js";
import { createVaultSecretStore } from "./vault-secret-store.js";

export interface PluginContextFactoryOptions {
  readonly database: Database;
  readonly vault: SecretVault;
  readonly events: EventBus;
  readonly egress: EgressSettings;
  readonly log: FastifyBaseLogger;
}

/** Builds a plugin's context from its manifest's permissions and its validated config. */
export type PluginContextFactory = (
  manifest: ContextManifest,
  config: Readonly<Record<string, ConfigValue>>,
) => PluginContext;

/**
 * The services every plugin context of this control plane is built on: storage and entity
 * records in the database, secrets opened from the vault, the control plane's event bus,
 * outbound HTTP through the egress guard with the operator's host policy, and log lines as
 * structured records under the plugin's id, with every secret value the plugin has set
 * redacted (see `pluginSecretValues`). Each member still checks the plugin's own
 * permissions; see `createPluginContext`.
 */
export function createPluginContextFactory(
  options: PluginContextFactoryOptions,
): PluginContextFactory {
  const storage = createDatabasePluginStorage(options.database);
  const data = createDatabasePluginData(options.database.db);
  const secrets = createVaultSecretStore(options.database.db, options.vault);
  const lookup = egressLookup(options.egress);
  return (manifest, config) => {
    const policy = egressPolicyFor(manifest.permissions ?? [], options.egress);
    const log = options.log.child({ pluginId: manifest.id, pluginVersion: manifest.version });
    const write = (record: PluginLogRecord) =>
      log[record.level](record.data === undefined ? {} : { data: record.data }, record.message);
    return createPluginContext({
      manifest,
      config,
      services: {
        log: write,
        events: options.events,
        egress: (request, { signal }) =>
          sendEgressRequest(request, policy, {
            lookup,
            ...(signal === undefined ? {} : { signal }),
          }),
        storage,
        data,
        secrets,
        knownSecretValues: pluginSecretValues(options.database.db, options.vault, manifest.id),
      },
    });
  };
}
