import type { HookManifest, JsonValue } from "@plugboard/plugin-sdk";
import { z } from "zod";
import type { PluginGeneration } from "../plugin-generation.js";
import { createPluginSet, type PluginSet, type PluginSetOptions } from "../plugin-set.js";
import { createTestSandboxes, request } from "./lifecycle-fixtures.js";

const AnswerSchema = z.object({ body: z.object({ id: z.string(), version: z.string() }) });

/** The version an answering hook's `run` reported. */
export function versionOf(result: JsonValue | undefined): string {
  return AnswerSchema.parse(result).body.version;
}

/** Calls `run` on the plugin's instance in a generation and returns the version that answered. */
export async function versionFrom(
  generation: PluginGeneration<HookManifest, unknown>,
  pluginId = "hook.a",
  path = "/",
): Promise<string> {
  const instance = generation.instances.get(pluginId);
  if (instance === undefined)
    throw new Error(`generation ${generation.generation} has no ${pluginId}`);
  return versionOf(await instance.call("run", [request(path)]));
}

/** Plugin sets on test sandboxes, closed (and their sandboxes disposed) by `closeAll()`. */
export function createSetKit() {
  const sandboxes = createTestSandboxes();
  const sets: Pick<PluginSet<HookManifest, unknown>, "close">[] = [];
  return {
    sandboxes,
    setOf(
      options: Partial<PluginSetOptions<HookManifest>> = {},
    ): PluginSet<HookManifest, undefined> {
      const set = createPluginSet({
        createSandbox: sandboxes.createSandbox,
        rollbackWindowMs: 60_000,
        closeTimeoutMs: 500,
        ...options,
        health: { probeIntervalMs: 0, ...options.health },
      });
      sets.push(set);
      return set;
    },
    /** Registers a set made elsewhere, to be closed with the others. */
    track<V>(set: PluginSet<HookManifest, V>): PluginSet<HookManifest, V> {
      sets.push(set);
      return set;
    },
    async closeAll(): Promise<void> {
      await Promise.all(sets.splice(0).map((set) => set.close()));
      sandboxes.dispose();
    },
  };
}
