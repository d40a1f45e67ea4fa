import type ivm from "isolated-vm";
import { SandboxError } from "./sandbox-errors.js";

const SDK_SPECIFIER = "@plugboard/plugin-sdk";
// What a bundle that leaves the SDK external imports. Both are the identity: the host has
// validated the manifest at install, and checks the plugin's handlers at load.
const SDK_SHIM = [
  "export function definePlugin(definition) { return definition; }",
  "export function defineManifest(manifest) { return manifest; }",
].join("\n");
const COMMONJS_HINT = /\b(?:module|exports|require) is not defined\b/;

export interface PluginModuleOptions {
  readonly pluginId: string;
  readonly source: string;
  readonly filename: string;
  readonly cpuTimeMs: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True for the errors the isolate itself raises: a limit passed, the isolate gone. */
function isIsolateFailure(isolate: ivm.Isolate, error: unknown): boolean {
  const message = messageOf(error);
  return isolate.isDisposed || message.includes("timed out") || message.includes("memory limit");
}

/**
 * Compiles, links and evaluates a plugin's module in `context`, and returns a reference to
 * its default export. The one import it may have is `@plugboard/plugin-sdk` (`definePlugin`
 * and `defineManifest` only). Code that does not compile, link or evaluate, or has no default export, fails as
 * `load_failed` with the reason; a limit passed during evaluation is rethrown as isolated-vm
 * raised it, for the caller to classify.
 */
export async function loadPluginModule(
  isolate: ivm.Isolate,
  context: ivm.Context,
  options: PluginModuleOptions,
): Promise<ivm.Reference<unknown>> {
  const failed = (message: string, cause: unknown) =>
    new SandboxError("load_failed", options.pluginId, message, { cause });
  let module: ivm.Module;
  try {
    module = await isolate.compileModule(options.source, { filename: options.filename });
  } catch (error) {
    if (isIsolateFailure(isolate, error)) throw error;
    throw failed(`the plugin's code does not compile: ${messageOf(error)}`, error);
  }
  let shim: ivm.Module | undefined;
  try {
    await module.instantiate(context, async (specifier) => {
      if (specifier !== SDK_SPECIFIER) {
        throw new Error(
          `import "${specifier}" is not available in the sandbox; bundle the plugin and its dependencies into one ES module`,
        );
      }
      shim ??= await isolate.compileModule(SDK_SHIM, { filename: "plugboard:plugin-sdk" });
      return shim;
    });
  } catch (error) {
    if (isIsolateFailure(isolate, error)) throw error;
    throw failed(`the plugin's imports cannot be linked: ${messageOf(error)}`, error);
  }
  try {
    await module.evaluate({ timeout: options.cpuTimeMs });
  } catch (error) {
    if (isIsolateFailure(isolate, error)) throw error;
    const message = messageOf(error);
    const hint = COMMONJS_HINT.test(message)
      ? "; the sandbox loads ES modules: bundle the plugin with --format=esm"
      : "";
    throw failed(`the plugin's module threw while loading: ${message}${hint}`, error);
  }
  const exported: ivm.Reference<unknown> = await module.namespace.get("default", {
    reference: true,
  });
  if (exported.typeof === "undefined") {
    throw failed(
      "the module has no default export; export default definePlugin({ ... })",
      undefined,
    );
  }
  return exported;
}
