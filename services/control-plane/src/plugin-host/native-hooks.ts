import type { HookManifest, PluginContext, PluginDefinition } from "@plugboard/plugin-sdk";
import type { Hook } from "@plugboard/runtime";
import { piiRedactorPlugin } from "../hooks/first-party/pii-redactor.js";
import { rateLimitPlugin } from "../hooks/first-party/rate-limit.js";

/**
 * First-party hooks whose code ships with the control plane and runs in its process (it is
 * ours, so it needs no isolate), by plugin id. They get a `PluginContext` like any plugin.
 */
export const NATIVE_HOOK_PLUGINS: ReadonlyMap<string, PluginDefinition<HookManifest>> = new Map<
  string,
  PluginDefinition<HookManifest>
>([
  [rateLimitPlugin.manifest.id, rateLimitPlugin],
  [piiRedactorPlugin.manifest.id, piiRedactorPlugin],
]);

/** Sets a native hook up with its context and presents it to the hook pipeline. */
export async function nativeHook(
  definition: PluginDefinition<HookManifest>,
  manifest: HookManifest,
  context: PluginContext,
): Promise<Hook> {
  const handlers = await definition.setup(context);
  return { manifest, invoke: (request) => handlers.run(request) };
}
