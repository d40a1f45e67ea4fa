import type { ConfigValues } from "@plugboard/contracts";
import type { PluginManifest } from "@plugboard/plugin-sdk";
import { validateConfig } from "../plugin-config/config-validation.js";

/**
 * How an evaluated setup step is computed, as data. Each check reads the facts the host
 * stores; none of them contacts an outside system.
 *
 * - `secrets_stored`: every one of the plugin's own `secretKeys` has a stored value.
 * - `provider_connected`: the connection provider for `provider` is connected (an enabled
 *   connection-provider plugin for that key has all its secrets stored).
 * - `worker_installed`: a worker of the plugin's own worker pack exists.
 * - `config_valid`: the plugin has a saved config that satisfies its current configSchema.
 */
export type SetupCheck =
  | { readonly kind: "secrets_stored" }
  | { readonly kind: "provider_connected"; readonly provider: string }
  | { readonly kind: "worker_installed" }
  | { readonly kind: "config_valid" };

/** A setup evaluator: the step it computes, `${pluginId}:${stepId}`, and its check. */
export interface SetupEvaluator {
  readonly key: `${string}:${string}`;
  readonly check: SetupCheck;
}

/** Evaluators by key; build it with `createSetupEvaluatorRegistry`. */
export type SetupEvaluatorRegistry = ReadonlyMap<string, SetupCheck>;

export const secretsStored = (): SetupCheck => ({ kind: "secrets_stored" });
export const providerConnected = (provider: string): SetupCheck => ({
  kind: "provider_connected",
  provider,
});
export const workerInstalled = (): SetupCheck => ({ kind: "worker_installed" });
export const configValid = (): SetupCheck => ({ kind: "config_valid" });

/** The key an evaluator of one plugin's step is registered under. */
export function setupStepKey(pluginId: string, stepId: string): string {
  return `${pluginId}:${stepId}`;
}

/** Thrown at start-up when an evaluator does not fit the plugins this host knows. */
export class SetupEvaluatorError extends Error {
  constructor(problems: readonly string[]) {
    super(`the setup evaluators do not match the plugins:\n  ${problems.join("\n  ")}`);
    this.name = "SetupEvaluatorError";
  }
}

/** Indexes evaluators by key; a key registered twice is refused. */
export function createSetupEvaluatorRegistry(
  evaluators: readonly SetupEvaluator[],
): SetupEvaluatorRegistry {
  const registry = new Map<string, SetupCheck>();
  const twice = new Set<string>();
  for (const { key, check } of evaluators) {
    if (registry.has(key)) twice.add(key);
    registry.set(key, check);
  }
  if (twice.size > 0) {
    throw new SetupEvaluatorError(
      [...twice].map((key) => `setup evaluator ${key}: registered more than once`),
    );
  }
  return registry;
}

/** Why a check cannot apply to a plugin, or undefined when it can. */
function misfit(
  check: SetupCheck,
  manifest: PluginManifest,
  providers: ReadonlySet<string>,
): string | undefined {
  switch (check.kind) {
    case "secrets_stored":
      return (manifest.secretKeys ?? []).length === 0
        ? `checks stored secrets, but ${manifest.id} declares no secretKeys`
        : undefined;
    case "provider_connected":
      return providers.has(check.provider)
        ? undefined
        : `checks provider "${check.provider}", but no connection-provider plugin has that provider key (known: ${[...providers].sort().join(", ") || "none"})`;
    case "worker_installed":
      return manifest.kind === "worker_pack"
        ? undefined
        : `checks for an installed worker, but ${manifest.id} is a ${manifest.kind}, not a worker_pack`;
    case "config_valid":
      return manifest.configSchema === undefined
        ? `checks the saved config, but ${manifest.id} declares no configSchema`
        : undefined;
    default: {
      const _exhaustive: never = check;
      return _exhaustive;
    }
  }
}

/**
 * Every problem of an evaluator registry against the plugins a host knows: a key that is not
 * `plugin:step`, names no plugin, names no step of that plugin, or a check that cannot apply
 * to that plugin. Empty when every evaluator fits.
 */
export function checkSetupEvaluators(
  registry: SetupEvaluatorRegistry,
  manifests: readonly PluginManifest[],
): string[] {
  const byId = new Map(manifests.map((manifest) => [manifest.id, manifest]));
  const providers = new Set(
    manifests.flatMap((manifest) =>
      manifest.kind === "connection_provider" ? [manifest.provider] : [],
    ),
  );
  const problems: string[] = [];
  for (const [key, check] of registry) {
    const split = key.lastIndexOf(":");
    if (split <= 0 || split === key.length - 1) {
      problems.push(`setup evaluator ${key}: expected a key of the form <plugin id>:<step id>`);
      continue;
    }
    const pluginId = key.slice(0, split);
    const stepId = key.slice(split + 1);
    const manifest = byId.get(pluginId);
    if (manifest === undefined) {
      problems.push(`setup evaluator ${key}: no plugin has id "${pluginId}"`);
      continue;
    }
    const steps = (manifest.setupSteps ?? []).map((step) => step.id);
    if (!steps.includes(stepId)) {
      problems.push(
        `setup evaluator ${key}: ${pluginId} has no setup step "${stepId}" (its steps: ${steps.join(", ") || "none"})`,
      );
      continue;
    }
    const reason = misfit(check, manifest, providers);
    if (reason !== undefined) problems.push(`setup evaluator ${key}: ${reason}`);
  }
  return problems;
}

/** Throws `SetupEvaluatorError` naming every evaluator that does not fit the plugins. */
export function assertSetupEvaluators(
  registry: SetupEvaluatorRegistry,
  manifests: readonly PluginManifest[],
): void {
  const problems = checkSetupEvaluators(registry, manifests);
  if (problems.length > 0) throw new SetupEvaluatorError(problems);
}

/** What the checks read, loaded once for all plugins. */
export interface SetupFacts {
  /** Stored secret key names, by plugin id. */
  readonly storedSecrets: ReadonlyMap<string, ReadonlySet<string>>;
  readonly connectedProviders: ReadonlySet<string>;
  /** Worker pack ids (`follow_up_v1`) with at least one worker. */
  readonly installedWorkerPacks: ReadonlySet<string>;
  /** The current config, by plugin id, of plugins that have one. */
  readonly configs: ReadonlyMap<string, ConfigValues>;
}

/** Whether a check passes for a plugin, given the facts. */
export function evaluateSetupCheck(
  check: SetupCheck,
  manifest: PluginManifest,
  facts: SetupFacts,
): boolean {
  switch (check.kind) {
    case "secrets_stored": {
      const stored = facts.storedSecrets.get(manifest.id);
      return (manifest.secretKeys ?? []).every((key) => stored?.has(key) === true);
    }
    case "provider_connected":
      return facts.connectedProviders.has(check.provider);
    case "worker_installed":
      return (
        manifest.kind === "worker_pack" && facts.installedWorkerPacks.has(manifest.workerPackId)
      );
    case "config_valid": {
      const config = facts.configs.get(manifest.id);
      return config !== undefined && validateConfig(manifest.configSchema, config).length === 0;
    }
    default: {
      const _exhaustive: never = check;
      return _exhaustive;
    }
  }
}
