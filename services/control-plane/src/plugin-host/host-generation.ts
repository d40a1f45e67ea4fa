import type { HookManifest, HookRing, PluginManifest } from "@plugboard/plugin-sdk";
import {
  createHookPipeline,
  type Hook,
  type HookFailureEvent,
  HookInvocationError,
  type HookPipeline,
  HookPipelineError,
  instanceSandbox,
  type PluginInstance,
  sandboxedHook,
} from "@plugboard/runtime";
import type { BlockedPlugin } from "./hosted-plugins.js";
import type { NativeHookSet } from "./native-hooks.js";

/**
 * What a generation of the plugin set holds besides its instances: everything a request
 * needs, switched in with them in one assignment.
 */
export interface HostGeneration {
  readonly pipeline: HookPipeline;
  readonly natives: NativeHookSet;
  readonly blocked: ReadonlyMap<string, BlockedPlugin>;
  /** Hooks that fail every call because their ring cannot be ordered, with why. */
  readonly unordered: ReadonlyMap<string, string>;
  /** Identifies the natives, wanted hooks and reasons it was built from. */
  readonly signature: string;
}

/** What a generation is built from, besides its instances. */
export interface GenerationParts {
  readonly natives: NativeHookSet;
  /** Every hook that should run, whether or not it does. */
  readonly wanted: readonly HookManifest[];
  readonly blocked: ReadonlyMap<string, BlockedPlugin>;
  /** Why a wanted hook without a running instance does not run (it failed to start). */
  readonly failed: ReadonlyMap<string, string>;
}

export interface GenerationBuilder {
  build(
    instances: ReadonlyMap<string, PluginInstance<PluginManifest>>,
    parts: GenerationParts,
    previous: HostGeneration | undefined,
  ): HostGeneration;
}

/** A hook that fails every call as a crash, so its fail mode decides what happens. */
function failingHook(manifest: HookManifest, message: string): Hook {
  return {
    manifest,
    invoke() {
      throw new HookInvocationError("crash", message);
    },
  };
}

/** The same manifest without order constraints. */
function unconstrained(manifest: HookManifest): HookManifest {
  const { before: _before, after: _after, ...rest } = manifest;
  return rest;
}

export function signatureOf(parts: GenerationParts): string {
  return JSON.stringify([
    [...parts.natives].map(([id, state]) => [id, state.fingerprint, state.failure?.message]),
    parts.wanted.map((hook) => `${hook.id}@${hook.version}`),
    [...parts.blocked].map(([id, plugin]) => [id, plugin.reason]),
    [...parts.failed],
  ]);
}

/**
 * Builds the hook pipeline of a generation: the sandboxed hooks of its instances, the native
 * hooks, and a failing stand-in for every hook that should run but does not (blocked, failed
 * to start, or whose native setup failed), so its fail mode applies: a fail-closed one stops
 * traffic rather than letting it through unchecked. Hooks keep their breaker and counters
 * from the previous generation while their instance (or native setup) is the same.
 *
 * If the hooks of a ring cannot be ordered (stored rows that disagree; installs refuse
 * cycles), every hook of that ring fails each call with the reason: fail-closed hooks stop
 * traffic, fail-open ones are bypassed and counted. Other rings run as usual.
 */
export function createGenerationBuilder(options: {
  readonly onFailure: (event: HookFailureEvent) => void;
  readonly onOrderProblem: (error: HookPipelineError) => void;
}): GenerationBuilder {
  const sandboxed = new WeakMap<PluginInstance<PluginManifest>, Hook>();
  /** Stand-ins by hook id, with what they were made for. */
  const standIns = new Map<string, { readonly made: string; readonly hook: Hook }>();

  function hookOf(instance: PluginInstance<PluginManifest>, manifest: HookManifest): Hook {
    let hook = sandboxed.get(instance);
    if (hook === undefined) {
      hook = sandboxedHook(manifest, instanceSandbox(instance));
      sandboxed.set(instance, hook);
    }
    return hook;
  }

  /** The same stand-in while the hook and the reason stay, so its counters carry over. */
  function standIn(manifest: HookManifest, reason: string): Hook {
    const made = JSON.stringify([manifest.version, manifest.ring, manifest.failMode, reason]);
    const kept = standIns.get(manifest.id);
    if (kept?.made === made) return kept.hook;
    const hook = failingHook(manifest, `${manifest.id} is not running: ${reason}`);
    standIns.set(manifest.id, { made, hook });
    return hook;
  }

  function hooksOf(
    instances: ReadonlyMap<string, PluginInstance<PluginManifest>>,
    parts: GenerationParts,
  ): Hook[] {
    const hooks: Hook[] = [];
    const present = new Set<string>();
    for (const state of parts.natives.values()) {
      if (state.hook === undefined) continue;
      hooks.push(state.hook);
      present.add(state.manifest.id);
    }
    for (const instance of instances.values()) {
      const { manifest } = instance.spec;
      if (manifest.kind !== "hook") continue;
      hooks.push(hookOf(instance, manifest));
      present.add(manifest.id);
    }
    for (const manifest of parts.wanted) {
      if (present.has(manifest.id)) continue;
      const reason =
        parts.blocked.get(manifest.id)?.reason ??
        parts.natives.get(manifest.id)?.failure?.message ??
        parts.failed.get(manifest.id) ??
        "it did not start";
      hooks.push(standIn(manifest, reason));
      present.add(manifest.id);
    }
    for (const id of standIns.keys()) if (!present.has(id)) standIns.delete(id);
    return hooks;
  }

  /** The hooks of the rings that cannot be ordered, each with why. */
  function unorderedOf(hooks: readonly Hook[], error: HookPipelineError): Map<string, string> {
    const ringOf = new Map(hooks.map((hook) => [hook.manifest.id, hook.manifest.ring]));
    const named = error.problems.flatMap((problem) => {
      const ring = ringOf.get(problem.manifestId);
      return ring === undefined ? [] : [ring];
    });
    const broken = new Set<HookRing>(named.length > 0 ? named : [...ringOf.values()]);
    const reason = `the hooks of its ring cannot be ordered (${error.message.replaceAll(/\s+/g, " ")})`;
    return new Map(
      hooks.flatMap((hook) =>
        broken.has(hook.manifest.ring) ? [[hook.manifest.id, reason] as const] : [],
      ),
    );
  }

  return {
    build(instances, parts, previous) {
      const hooks = hooksOf(instances, parts);
      const carry = previous === undefined ? {} : { carry: previous.pipeline };
      let pipeline: HookPipeline;
      let unordered = new Map<string, string>();
      try {
        pipeline = createHookPipeline(hooks, { onFailure: options.onFailure, ...carry });
      } catch (error) {
        if (!(error instanceof HookPipelineError)) throw error;
        options.onOrderProblem(error);
        unordered = unorderedOf(hooks, error);
        const failing = hooks.map((hook) => {
          const reason = unordered.get(hook.manifest.id);
          return reason === undefined ? hook : standIn(unconstrained(hook.manifest), reason);
        });
        pipeline = createHookPipeline(failing, { onFailure: options.onFailure, ...carry });
      }
      return {
        pipeline,
        natives: parts.natives,
        blocked: parts.blocked,
        unordered,
        signature: signatureOf(parts),
      };
    },
  };
}
