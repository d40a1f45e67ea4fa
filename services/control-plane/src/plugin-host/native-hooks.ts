import type { Issue } from "@plugboard/contracts";
import type { HookManifest, PluginContext, PluginDefinition } from "@plugboard/plugin-sdk";
import type { Hook } from "@plugboard/runtime";
import { checkPiiRedactorConfig, piiRedactorPlugin } from "../hooks/first-party/pii-redactor.js";
import { rateLimitPlugin } from "../hooks/first-party/rate-limit.js";

/** A first-party hook whose code ships with the control plane, and what its config must meet. */
export interface NativeHookPlugin {
  readonly definition: PluginDefinition<HookManifest>;
  /**
   * Checks beyond the manifest's `configSchema` (which cannot say, for instance, that a
   * pattern must not backtrack); each issue has its `config.` path.
   */
  readonly checkConfig?: (config: Readonly<Record<string, unknown>>) => Issue[];
}

/**
 * First-party hooks whose code ships with the control plane and runs in its process (it is
 * ours, so it needs no isolate), by plugin id. They get a `PluginContext` like any plugin.
 */
export const NATIVE_HOOK_PLUGINS: ReadonlyMap<string, NativeHookPlugin> = new Map<
  string,
  NativeHookPlugin
>([
  [rateLimitPlugin.manifest.id, { definition: rateLimitPlugin }],
  [
    piiRedactorPlugin.manifest.id,
    { definition: piiRedactorPlugin, checkConfig: checkPiiRedactorConfig },
  ],
]);

/** The problems a native hook's own checks find in a config; none for other plugins. */
export function nativeConfigIssues(
  pluginId: string,
  config: Readonly<Record<string, unknown>>,
): Issue[] {
  return NATIVE_HOOK_PLUGINS.get(pluginId)?.checkConfig?.(config) ?? [];
}

/** Sets a native hook up with its context and presents it to the hook pipeline. */
export async function nativeHook(
  definition: PluginDefinition<HookManifest>,
  manifest: HookManifest,
  context: PluginContext,
): Promise<Hook> {
  const handlers = await definition.setup(context);
  return { manifest, invoke: (request) => handlers.run(request) };
}

/** A native hook as set up for a generation: ready, or failed with why. */
export type NativeHookState = {
  readonly manifest: HookManifest;
  /** The version and config it was set up with. */
  readonly fingerprint: string;
} & (
  | { readonly hook: Hook; readonly failure?: undefined }
  | {
      readonly hook?: undefined;
      readonly failure: { readonly code: string; readonly message: string; readonly at: string };
    }
);

/** The native hooks of a generation, by plugin id. */
export type NativeHookSet = ReadonlyMap<string, NativeHookState>;
