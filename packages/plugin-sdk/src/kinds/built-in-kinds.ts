import { actionExecutorKind } from "./action-executor.js";
import { channelKind } from "./channel.js";
import { connectionProviderKind } from "./connection-provider.js";
import { connectorKind } from "./connector.js";
import type { ManifestInputOf, ManifestOf } from "./define-kind.js";
import { hookKind } from "./hook.js";
import { ingressAdapterKind } from "./ingress-adapter.js";
import { ruleOperatorKind } from "./rule-operator.js";
import { workerPackKind } from "./worker-pack.js";

/** The eight kinds Plugboard ships, in registry order. */
export const BUILT_IN_KINDS = [
  connectionProviderKind,
  ingressAdapterKind,
  actionExecutorKind,
  workerPackKind,
  channelKind,
  connectorKind,
  ruleOperatorKind,
  hookKind,
] as const;

export type BuiltInKind = (typeof BUILT_IN_KINDS)[number];

/** The names of the built-in kinds, derived from their definitions. */
export const PLUGIN_KINDS = BUILT_IN_KINDS.map(
  (kind) => kind.name,
) as unknown as readonly BuiltInKind["name"][];
export type PluginKind = BuiltInKind["name"];

export type ConnectionProviderManifest = ManifestOf<typeof connectionProviderKind>;
export type IngressAdapterManifest = ManifestOf<typeof ingressAdapterKind>;
export type ActionExecutorManifest = ManifestOf<typeof actionExecutorKind>;
export type WorkerPackManifest = ManifestOf<typeof workerPackKind>;
export type ChannelManifest = ManifestOf<typeof channelKind>;
export type ConnectorManifest = ManifestOf<typeof connectorKind>;
export type RuleOperatorManifest = ManifestOf<typeof ruleOperatorKind>;
export type HookManifest = ManifestOf<typeof hookKind>;

/** Any built-in manifest; `kind` narrows it. */
export type PluginManifest =
  | ConnectionProviderManifest
  | IngressAdapterManifest
  | ActionExecutorManifest
  | WorkerPackManifest
  | ChannelManifest
  | ConnectorManifest
  | RuleOperatorManifest
  | HookManifest;

/** What an author writes for any built-in kind. */
export type PluginManifestInput = ManifestInputOf<BuiltInKind>;

/** The manifest type of one built-in kind by name: `ManifestOfKind<"hook">`. */
export type ManifestOfKind<N extends PluginKind> = Extract<PluginManifest, { kind: N }>;
