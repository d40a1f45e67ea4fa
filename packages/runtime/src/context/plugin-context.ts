import type { ConfigValue, PluginContext } from "@plugboard/plugin-sdk";
import { createContextData } from "./context-data.js";
import { createContextEvents } from "./context-events.js";
import { createContextHttp } from "./context-http.js";
import { type ContextLimitsInput, ContextLimitsSchema } from "./context-limits.js";
import { createContextLogger } from "./context-logger.js";
import type { ContextScope } from "./context-scope.js";
import { createContextSecrets } from "./context-secrets.js";
import type { ContextServices } from "./context-services.js";
import { createContextStorage } from "./context-storage.js";

/** The manifest fields a context is built from (a validated manifest of any kind fits). */
export interface ContextManifest {
  readonly id: string;
  readonly version: string;
  readonly permissions?: readonly string[] | undefined;
  readonly secretKeys?: readonly string[] | undefined;
}

export interface PluginContextOptions {
  readonly manifest: ContextManifest;
  /**
   * The permissions the operator granted; the manifest's `permissions` when left out. A
   * permission the manifest did not ask for is never granted, whatever this lists.
   */
  readonly granted?: readonly string[];
  /** The plugin's settings, already validated against its `configSchema`. */
  readonly config?: Readonly<Record<string, ConfigValue>>;
  readonly services: ContextServices;
  readonly limits?: ContextLimitsInput;
}

function frozenConfig(
  config: Readonly<Record<string, ConfigValue>>,
): Readonly<Record<string, ConfigValue>> {
  const copy = structuredClone(config);
  for (const value of Object.values(copy)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(copy);
}

/**
 * Builds a plugin's `PluginContext` from the permissions it was granted and the services
 * the host provides. Every member checks its permission and arguments and fails with a
 * `ContextError` (`permission_denied` naming the permission, `invalid_argument`, …); values
 * cross as JSON copies. Give the result to `createIsolateSandbox`, or to an in-process
 * plugin's `setup`.
 *
 * @example
 * const ctx = createPluginContext({
 *   manifest,
 *   config,
 *   services: { log: (record) => logger.info(record), storage: createInMemoryStorage() },
 * });
 */
export function createPluginContext(options: PluginContextOptions): PluginContext {
  const requested = options.manifest.permissions ?? [];
  const granted = options.granted ?? requested;
  const scope: ContextScope = {
    grants: {
      pluginId: options.manifest.id,
      permissions: Object.freeze(granted.filter((permission) => requested.includes(permission))),
    },
    version: options.manifest.version,
    secretKeys: Object.freeze([...(options.manifest.secretKeys ?? [])]),
    services: options.services,
    limits: ContextLimitsSchema.parse(options.limits ?? {}),
    injectedSecrets: new Set(),
  };
  return Object.freeze({
    plugin: Object.freeze({ id: options.manifest.id, version: options.manifest.version }),
    config: frozenConfig(options.config ?? {}),
    logger: createContextLogger(scope),
    events: createContextEvents(scope),
    http: createContextHttp(scope),
    storage: createContextStorage(scope),
    data: createContextData(scope),
    secrets: createContextSecrets(scope),
  });
}
