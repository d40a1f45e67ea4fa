import type ivm from "isolated-vm";
import { classifyRunFailure } from "./isolate-runner.js";
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
  readonly isolate: ivm.Isolate;
  readonly pluginId: string;
  readonly memoryLimitMb: number;
  readonly stopReason: () => SandboxError | undefined;
  readonly source: string;
  readonly filename: string;
  /** The longest module evaluation may run. */
  readonly timeoutMs: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Compiles, links and evaluates a plugin's module in `context`, and returns a reference to
 * its default export. The one import it may have is `@plugboard/plugin-sdk` (`definePlugin`
 * and `defineManifest` only). Code that does not compile, link or evaluate, or has no default export, fails as
 * `load_failed` with the reason. A limit passed is judged by what the host saw (the isolate
 * disposed, the evaluation's timeout elapsed), never by an error's text, which plugin code
 * can choose.
 */
export async function loadPluginModule(
  context: ivm.Context,
  options: PluginModuleOptions,
): Promise<ivm.Reference<unknown>> {
  const { isolate } = options;
  const failed = (message: string, cause: unknown) =>
    new SandboxError("load_failed", options.pluginId, message, { cause });
  const isolateFailure = (error: unknown, timeoutMs = 0, elapsedMs = -1) => {
    const timeout = () =>
      new SandboxError(
        "timeout",
        options.pluginId,
        `evaluating the plugin's module took longer than ${timeoutMs} ms`,
      );
    const stopped = options.stopReason() !== undefined || isolate.isDisposed;
    return stopped || elapsedMs >= timeoutMs
      ? classifyRunFailure(options, error, { timeoutMs, elapsedMs, timeout })
      : undefined;
  };
  let module: ivm.Module;
  try {
    module = await isolate.compileModule(options.source, { filename: options.filename });
  } catch (error) {
    throw (
      isolateFailure(error) ??
      failed(`the plugin's code does not compile: ${messageOf(error)}`, error)
    );
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
    throw (
      isolateFailure(error) ??
      failed(`the plugin's imports cannot be linked: ${messageOf(error)}`, error)
    );
  }
  const timeoutMs = Math.max(1, Math.ceil(options.timeoutMs));
  const startedAt = performance.now();
  try {
    await module.evaluate({ timeout: timeoutMs });
  } catch (error) {
    const failure = isolateFailure(error, timeoutMs, performance.now() - startedAt);
    if (failure !== undefined) throw failure;
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
