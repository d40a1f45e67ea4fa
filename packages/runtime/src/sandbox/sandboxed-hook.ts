import type { HookManifest } from "@plugboard/plugin-sdk";
import { type Hook, HookInvocationError, type InvokerFailureKind } from "../hooks/hook.js";
import { LifecycleError } from "../lifecycle/lifecycle-errors.js";
import type { Sandbox } from "./sandbox.js";
import { SandboxError, type SandboxErrorCode } from "./sandbox-errors.js";

/** How the hook pipeline counts each way a sandboxed call fails outside the hook's own code. */
const HOOK_FAILURES: {
  readonly [C in Exclude<SandboxErrorCode, "plugin_error">]: InvokerFailureKind;
} = {
  load_failed: "crash",
  setup_failed: "crash",
  no_handler: "crash",
  bad_argument: "crash",
  bad_return: "bad_result",
  return_too_large: "bad_result",
  timeout: "timeout",
  memory_limit: "crash",
  stack_overflow: "crash",
  crashed: "crash",
  aborted: "timeout",
  disposed: "crash",
};

/**
 * A sandboxed hook plugin as the hook pipeline runs it: `run` is called in the sandbox under
 * the manifest's `timeoutMs` and the pipeline's signal (which stops the isolate when it
 * fires). The pipeline checks the result itself. What the hook threw reaches the pipeline as
 * the plugin's own error; a runaway, a crash or a bad value as a `HookInvocationError`, and
 * so is a call a lifecycle instance refused because its plugin is not running (a `crash`).
 *
 * @example
 * const pipeline = createHookPipeline([sandboxedHook(manifest, createIsolateSandbox({ ... }))]);
 */
export function sandboxedHook(manifest: HookManifest, sandbox: Sandbox): Hook {
  return {
    manifest,
    async invoke(request, signal) {
      try {
        return await sandbox.call("run", [request], {
          timeoutMs: manifest.timeoutMs,
          signal,
          checkResult: false,
        });
      } catch (error) {
        if (error instanceof LifecycleError) {
          throw new HookInvocationError("crash", error.message, { cause: error });
        }
        if (!(error instanceof SandboxError)) throw error;
        if (error.code === "plugin_error") throw error.cause ?? error;
        throw new HookInvocationError(HOOK_FAILURES[error.code], error.message, { cause: error });
      }
    },
  };
}
