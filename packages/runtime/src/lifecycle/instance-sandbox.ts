import type { PluginManifest } from "@plugboard/plugin-sdk";
import type { Sandbox, SandboxHealth } from "../sandbox/sandbox.js";
import { LifecycleError } from "./lifecycle-errors.js";
import type { PluginInstance } from "./plugin-instance.js";

/**
 * An instance seen as a `Sandbox`, for code that takes one, such as `sandboxedHook`. Calls go
 * through the instance: they are counted, and refused at once (with a `LifecycleError`) while
 * it is not running. `health()` is the current sandbox's, healthy only while the instance
 * runs. The instance's owner stops it, so `dispose()` does nothing.
 *
 * @example
 * derive: (instances) =>
 *   createHookPipeline([...instances.values()].map((i) => sandboxedHook(i.spec.manifest, instanceSandbox(i))))
 */
export function instanceSandbox<M extends object = PluginManifest>(
  instance: PluginInstance<M>,
): Sandbox {
  const { pluginId } = instance;
  return {
    pluginId,
    async load() {
      await instance.start();
      if (instance.state !== "running") {
        throw new LifecycleError(
          "unavailable",
          pluginId,
          `plugin "${pluginId}" is ${instance.state}`,
        );
      }
    },
    call: (handler, args, options) => instance.call(handler, args, options),
    health(): SandboxHealth {
      const running = instance.state === "running";
      const sandbox = instance.health().sandbox;
      if (sandbox !== null) return { ...sandbox, healthy: running && sandbox.healthy };
      return {
        pluginId,
        state: "idle",
        healthy: false,
        dispatch: "thread",
        calls: 0,
        errors: 0,
        timeouts: 0,
        memoryLimits: 0,
        crashes: 0,
        loads: 0,
        droppedContextCalls: 0,
        lastError: null,
      };
    },
    dispose() {},
  };
}
