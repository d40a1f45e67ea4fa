import type { FastifyBaseLogger } from "fastify";
import { canonicalConfig, type NativePlugin } from "./hosted-plugins.js";
import {
  NATIVE_HOOK_PLUGINS,
  type NativeHookSet,
  type NativeHookState,
  nativeHook,
} from "./native-hooks.js";
import type { PluginContextFactory } from "./plugin-context-factory.js";

const fingerprintOf = (plugin: NativePlugin) =>
  `${plugin.manifest.version}#${canonicalConfig(plugin.config)}`;

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Sets up the native hooks that should run. A hook whose version and config are those it
 * runs with in `current` is carried over as it is (its state, such as a rate limit's window,
 * and its pipeline counters with it); the others are set up anew. A setup that throws is
 * recorded as a failure, never dropped: the host reports it, and the hook's fail mode
 * applies to every call.
 */
export async function setUpNativeHooks(
  plugins: readonly NativePlugin[],
  current: NativeHookSet,
  contexts: PluginContextFactory,
  log: Pick<FastifyBaseLogger, "error">,
): Promise<NativeHookSet> {
  const next = new Map<string, NativeHookState>();
  for (const plugin of plugins) {
    const { manifest, config } = plugin;
    const fingerprint = fingerprintOf(plugin);
    const running = current.get(manifest.id);
    if (running?.fingerprint === fingerprint && running.hook !== undefined) {
      next.set(manifest.id, running);
      continue;
    }
    const native = NATIVE_HOOK_PLUGINS.get(manifest.id);
    if (native === undefined) continue;
    try {
      const hook = await nativeHook(native.definition, manifest, contexts(manifest, config));
      next.set(manifest.id, { manifest, fingerprint, hook });
    } catch (error) {
      const message = `its setup failed: ${messageOf(error)}`;
      log.error({ err: error, pluginId: manifest.id }, "a native hook failed to set up");
      next.set(manifest.id, {
        manifest,
        fingerprint,
        failure: { code: "setup_failed", message, at: new Date().toISOString() },
      });
    }
  }
  return next;
}
