import type { JsonValue } from "@plugboard/plugin-sdk";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { Sandbox } from "../sandbox.js";
import { SandboxError, type SandboxErrorCode } from "../sandbox-errors.js";
import type { SandboxLimitsInput } from "../sandbox-limits.js";
import {
  createFixtureHost,
  type FixtureHost,
  type FixtureManifest,
  fixtureSandbox,
  hookManifest,
  PASSTHROUGH_HOOK,
  pluginSource,
} from "./plugin-fixtures.js";

// Each case runs hostile plugin code while the host keeps working: a timer ticks on the
// host's event loop and another sandboxed plugin answers calls. Each must be contained (a
// clean result or a SandboxError) and the host's work must go on during and after it.

export const HOSTILE_MANIFEST: FixtureManifest = {
  ...hookManifest(),
  permissions: [
    "storage:read",
    "storage:write",
    "event:publish:escape.*",
    "event:subscribe:escape.*",
    "data:read:contact",
    "data:write:contact",
    "network:outbound:api.example.com",
  ],
  secretKeys: ["api_token"],
};

export interface Contained {
  readonly value: JsonValue | undefined;
  readonly error: SandboxError | undefined;
  readonly ticks: number;
  readonly neighbourCalls: number;
  readonly sandbox: Sandbox;
  readonly host: FixtureHost;
}

export interface ContainOptions {
  readonly limits?: SandboxLimitsInput;
  readonly prelude?: string;
  readonly secrets?: Readonly<Record<string, string>>;
}

export interface Containment {
  /** Loads the hostile plugin and runs its `run` while the host ticks and a neighbour serves. */
  contain(setupBody: string, options?: ContainOptions): Promise<Contained>;
  /** Registers a sandbox to dispose after the test. */
  track(sandbox: Sandbox): void;
}

/** Sets up the neighbour plugin and disposal for a test file; call at its top level. */
export function useContainment(): Containment {
  const open: Sandbox[] = [];
  afterEach(() => {
    for (const sandbox of open.splice(0)) sandbox.dispose();
  });
  let neighbour: Sandbox | undefined;
  beforeAll(async () => {
    neighbour = fixtureSandbox(PASSTHROUGH_HOOK).sandbox;
    await neighbour.load();
  });
  afterAll(() => neighbour?.dispose());

  async function contain(setupBody: string, options: ContainOptions = {}): Promise<Contained> {
    const serving = neighbour;
    if (serving === undefined) throw new Error("useContainment's beforeAll has not run");
    const host = createFixtureHost({
      manifest: HOSTILE_MANIFEST,
      ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    });
    const { sandbox } = fixtureSandbox(
      pluginSource(setupBody, { prelude: options.prelude ?? "" }),
      { manifest: HOSTILE_MANIFEST, limits: options.limits ?? {}, host },
    );
    open.push(sandbox);
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 5);
    let neighbourCalls = 0;
    let running = true;
    const served = (async () => {
      while (running) {
        await serving.call("run", [{}]);
        neighbourCalls += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const outcome = await sandbox
      .load()
      .then(() => sandbox.call("run", [{ path: "/" }]))
      .then(
        (value) => ({ value, error: undefined }),
        (error: unknown) => {
          if (error instanceof SandboxError) return { value: undefined, error };
          throw error;
        },
      );
    // Long enough for the neighbour to be served at least once even after a fast case.
    await new Promise((resolve) => setTimeout(resolve, 10));
    running = false;
    await served;
    clearInterval(ticker);
    // The host still serves after the case.
    await expect(serving.call("run", [{}])).resolves.toEqual({ action: "passthrough" });
    return { ...outcome, ticks, neighbourCalls, sandbox, host };
  }

  return {
    contain,
    track: (sandbox) => {
      open.push(sandbox);
    },
  };
}

/** Asserts a stopped runaway: its code, the host kept serving, the plugin unhealthy and its isolate gone. */
export function expectStopped(contained: Contained, code: SandboxErrorCode): void {
  expect(contained.error?.code).toBe(code);
  expect(contained.ticks).toBeGreaterThan(0);
  expect(contained.neighbourCalls).toBeGreaterThan(0);
  expect(contained.sandbox.health()).toMatchObject({ healthy: false, state: "idle" });
}

/** Asserts a contained failure of the plugin's own making: the plugin stays loaded and healthy. */
export function expectPluginError(contained: Contained): void {
  expect(contained.error?.code).toBe("plugin_error");
  expect(contained.neighbourCalls).toBeGreaterThan(0);
  expect(contained.sandbox.health()).toMatchObject({ healthy: true, state: "ready" });
}

/** A `setup` body whose `run` answers 200 with `expression` as the body. */
export const respond = (expression: string) =>
  `return { run() { return { action: "respond", status: 200, body: ${expression} }; } };`;

/** The `body` of a respond result. */
export function bodyOf(value: JsonValue | undefined): JsonValue | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value.body
    : undefined;
}
