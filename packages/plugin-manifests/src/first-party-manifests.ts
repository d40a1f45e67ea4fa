import type { PluginManifest } from "@plugboard/plugin-sdk";
import {
  actionExecutorPlugins,
  channelPlugins,
  connectionProviderPlugins,
  connectorPlugins,
  hookPlugins,
  ingressAdapterPlugins,
  ruleOperatorPlugins,
  workerPackPlugins,
} from "./plugins-by-kind.js";

/** Every first-party manifest, grouped by kind in the SDK's registry order. */
export const firstPartyManifests: readonly PluginManifest[] = [
  ...connectionProviderPlugins,
  ...ingressAdapterPlugins,
  ...actionExecutorPlugins,
  ...workerPackPlugins,
  ...channelPlugins,
  ...connectorPlugins,
  ...ruleOperatorPlugins,
  ...hookPlugins,
];

/** Every first-party manifest keyed by its id. */
export const firstPartyManifestsById: ReadonlyMap<string, PluginManifest> = new Map(
  firstPartyManifests.map((manifest) => [manifest.id, manifest]),
);

/**
 * The first-party manifest with this id, or `undefined` when there is none.
 *
 * @example getFirstPartyManifest("provider.smtp-relay")?.kind // "connection_provider"
 */
export function getFirstPartyManifest(id: string): PluginManifest | undefined {
  return firstPartyManifestsById.get(id);
}
