import type { PluginManifest } from "../kinds/built-in-kinds.js";
import type { HandlersByKind } from "./handlers.js";
import type { PluginContext } from "./plugin-context.js";

export interface PluginDefinition<M extends PluginManifest> {
  readonly manifest: M;
  /** Called by the host once per load, with the context built from granted permissions. */
  readonly setup: (
    ctx: PluginContext,
  ) => HandlersByKind[M["kind"]] | Promise<HandlersByKind[M["kind"]]>;
}

/**
 * Declares a code plugin: its manifest and a `setup` returning the kind's handlers. Returns
 * the definition unchanged; the host loads it into the sandbox. Nothing runs at import.
 *
 * @example
 * export default definePlugin({
 *   manifest,
 *   setup: (ctx) => ({ run: () => ({ action: "passthrough" }) }),
 * });
 */
export function definePlugin<const M extends PluginManifest>(
  definition: PluginDefinition<M>,
): PluginDefinition<M> {
  return definition;
}
