import type { HookManifest } from "@plugboard/plugin-sdk";
import type { EgressRequest, EgressResponse } from "../../egress/egress-request.js";
import { hookManifest } from "../../hooks/hook-test-kit.js";
import { createIsolateSandbox } from "../../sandbox/isolate-sandbox.js";
import type { Sandbox } from "../../sandbox/sandbox.js";
import type { SandboxLimitsInput } from "../../sandbox/sandbox-limits.js";
import {
  createFixtureHost,
  type FixtureHost,
  pluginSource,
  TEST_LIMITS,
} from "../../sandbox/testing/plugin-fixtures.js";
import type { PluginSpec } from "../plugin-spec.js";

/** The host a slow call waits on: `GET https://slow.example/wait`. */
export const SLOW_HOST = "slow.example";

/** A valid hook manifest with a module runtime, storage access and the slow host granted. */
export function moduleHook(
  id = "hook.answer",
  version = "1.0.0",
  fields: Partial<HookManifest> = {},
): HookManifest {
  return {
    ...hookManifest(id),
    version,
    permissions: ["storage:read", "storage:write", `network:outbound:${SLOW_HOST}`],
    runtime: { type: "module", entry: "dist/plugin.js" },
    ...fields,
  };
}

export interface AnswerOptions {
  /** The body of a `probe()` handler; none when left out. */
  readonly probe?: string;
  /** The body of a `stop()` handler; none when left out. */
  readonly stop?: string;
  /** Code run in `setup` before it returns the handlers. */
  readonly setup?: string;
  /** Code run when the module is evaluated. */
  readonly prelude?: string;
}

/**
 * A hook whose `run` answers `respond` with `{ id, version }`. Request paths steer it:
 * `/slow` waits for `GET https://slow.example/wait` first, `/spin` loops forever.
 */
export function answeringSource(id: string, version: string, options: AnswerOptions = {}): string {
  const handlers = [
    `async run(request) {
      if (request.path === "/spin") for (;;) {}
      if (request.path === "/slow") await ctx.http.request({ url: "https://${SLOW_HOST}/wait" });
      return { action: "respond", status: 200, body: { id: ${JSON.stringify(id)}, version: ${JSON.stringify(version)} } };
    }`,
  ];
  if (options.probe !== undefined) handlers.push(`async probe() { ${options.probe} }`);
  if (options.stop !== undefined) handlers.push(`async stop() { ${options.stop} }`);
  return pluginSource(`${options.setup ?? ""}\nreturn { ${handlers.join(",\n")} };`, {
    id,
    ...(options.prelude === undefined ? {} : { prelude: options.prelude }),
  }).replace("setup(ctx)", "async setup(ctx)");
}

/** A probe that reports what the host stored under `healthy` (healthy unless it is false). */
export const STORED_HEALTH_PROBE = `const healthy = await ctx.storage.get("healthy"); return healthy === false ? { healthy: false, message: "told to fail" } : { healthy: true };`;

/** A spec for an answering hook; the key names the id, version and `variant`. */
export function answeringSpec(
  id: string,
  version: string,
  options: AnswerOptions & {
    readonly variant?: string;
    readonly manifest?: Partial<HookManifest>;
  } = {},
): PluginSpec<HookManifest> {
  return {
    manifest: moduleHook(id, version, options.manifest),
    source: answeringSource(id, version, options),
    key: `${id}@${version}#${options.variant ?? "a"}`,
  };
}

/** A request for a hook's `run`. */
export function request(path = "/"): Record<string, unknown> {
  return { ring: "pre_flight", method: "GET", path, headers: {}, body: null, metadata: {} };
}

/**
 * The host side of tests: real isolate sandboxes on fixture contexts, one context (and so
 * one storage) per spec key, kept across restarts. Slow calls wait until `releaseSlow()`.
 */
export function createTestSandboxes(options: { readonly limits?: SandboxLimitsInput } = {}) {
  const hosts = new Map<string, FixtureHost>();
  const created: { readonly key: string; readonly sandbox: Sandbox }[] = [];
  let openGate: () => void = () => {};
  let slow = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  const release = () => {
    openGate();
    slow = new Promise<void>((resolve) => {
      openGate = resolve;
    });
  };
  let slowWaiting = 0;
  const egress = async (egressRequest: EgressRequest): Promise<EgressResponse> => {
    slowWaiting += 1;
    await slow;
    slowWaiting -= 1;
    return {
      status: 204,
      headers: {},
      body: new Uint8Array(),
      url: egressRequest.url,
      address: "203.0.113.10",
    };
  };
  const hostFor = (spec: PluginSpec<HookManifest>): FixtureHost => {
    let host = hosts.get(spec.key);
    if (host === undefined) {
      host = createFixtureHost({ manifest: spec.manifest, egress });
      hosts.set(spec.key, host);
    }
    return host;
  };
  return {
    createSandbox(spec: PluginSpec<HookManifest>): Sandbox {
      const sandbox = createIsolateSandbox({
        manifest: spec.manifest,
        source: spec.source,
        context: hostFor(spec).context,
        limits: { ...TEST_LIMITS, ...options.limits },
      });
      created.push({ key: spec.key, sandbox });
      return sandbox;
    },
    /** Sandboxes made for `key` so far. */
    made: (key: string) => created.filter((entry) => entry.key === key).length,
    /** Stores a value in the plugin's storage, as a probe or stop handler reads it. */
    async store(spec: PluginSpec<HookManifest>, name: string, value: boolean): Promise<void> {
      await hostFor(spec).services.storage?.set(spec.manifest.id, name, value);
    },
    async stored(spec: PluginSpec<HookManifest>, name: string): Promise<unknown> {
      return hostFor(spec).services.storage?.get(spec.manifest.id, name);
    },
    /** Slow calls waiting for `releaseSlow()`. */
    slowWaiting: () => slowWaiting,
    /** Lets every slow call waiting now go on; later ones wait for the next release. */
    releaseSlow: release,
    /** Disposes every sandbox made and forgets every context (and its storage). */
    dispose(): void {
      release();
      for (const entry of created.splice(0)) entry.sandbox.dispose();
      hosts.clear();
    },
  };
}

/** Waits until `predicate` holds, polling; fails after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
