import type { HookManifest } from "@plugboard/plugin-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { SandboxError } from "../sandbox/sandbox-errors.js";
import type { TransitionEvent } from "./instance-states.js";
import { LifecycleError } from "./lifecycle-errors.js";
import type { LifecycleSettingsInput } from "./lifecycle-settings.js";
import { createPluginInstance, type PluginInstance } from "./plugin-instance.js";
import type { PluginSpec } from "./plugin-spec.js";
import {
  type AnswerOptions,
  answeringSpec,
  createTestSandboxes,
  request,
  STORED_HEALTH_PROBE,
  waitFor,
} from "./testing/lifecycle-fixtures.js";

const sandboxes = createTestSandboxes();
const instances: PluginInstance<HookManifest>[] = [];

afterEach(async () => {
  await Promise.all(instances.splice(0).map((instance) => instance.stop()));
  sandboxes.dispose();
});

function instanceOf(
  spec: PluginSpec<HookManifest>,
  settings: LifecycleSettingsInput = {},
  events: TransitionEvent[] = [],
): PluginInstance<HookManifest> {
  const instance = createPluginInstance({
    spec,
    createSandbox: sandboxes.createSandbox,
    settings: { probeIntervalMs: 0, restartInitialDelayMs: 20, ...settings },
    onTransition: (event) => events.push(event),
  });
  instances.push(instance);
  return instance;
}

const path = (instance: PluginInstance<HookManifest>) =>
  instance.transitions().map((event) => event.to);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the promise to reject");
    },
    (error: unknown) => error,
  );
}

describe("starting an instance", () => {
  it("goes from validated through loading and starting to running, reporting each step", async () => {
    const events: TransitionEvent[] = [];
    const spec = answeringSpec("hook.answer", "1.2.0", { probe: "return { healthy: true };" });
    const instance = instanceOf(spec, {}, events);
    expect(instance.state).toBe("validated");
    await expect(instance.start()).resolves.toBe("running");
    expect(events.map(({ from, to }) => [from, to])).toEqual([
      [null, "validated"],
      ["validated", "loading"],
      ["loading", "starting"],
      ["starting", "running"],
    ]);
    for (const event of events) {
      expect(event).toMatchObject({ pluginId: "hook.answer", version: "1.2.0", key: spec.key });
      expect(new Date(event.at).toISOString()).toBe(event.at);
    }
    await expect(instance.call("run", [request()])).resolves.toMatchObject({
      body: { version: "1.2.0" },
    });
    expect(instance.health()).toMatchObject({
      state: "running",
      healthy: true,
      restarts: 0,
      inFlight: 0,
      lastProbe: { healthy: true },
      sandbox: { state: "ready", loads: 1 },
    });
  });

  it("counts a plugin without a probe handler as healthy", async () => {
    const instance = instanceOf(answeringSpec("hook.plain", "1.0.0"));
    await expect(instance.start()).resolves.toBe("running");
    expect(instance.health().lastProbe).toMatchObject({
      healthy: true,
      message: "the plugin has no probe handler",
    });
  });

  it.each<[string, AnswerOptions, string]>([
    ["its module throws while loading", { prelude: 'throw new Error("boom");' }, "load_failed"],
    ["its setup throws", { setup: 'throw new Error("no config");' }, "setup_failed"],
  ])("fails when %s, and refuses calls", async (_case, options, code) => {
    const events: TransitionEvent[] = [];
    const instance = instanceOf(answeringSpec("hook.broken", "1.0.0", options), {}, events);
    await expect(instance.start()).resolves.toBe("failed");
    expect(path(instance)).toEqual(["validated", "loading", "failed"]);
    expect(events.at(-1)).toMatchObject({
      from: "loading",
      reason: "loading the plugin failed",
      error: { code },
    });
    expect(instance.health()).toMatchObject({ state: "failed", lastError: { code } });
    const refused = await rejection(instance.call("run", [request()]));
    expect(refused).toBeInstanceOf(LifecycleError);
    expect(refused).toMatchObject({ code: "unavailable", pluginId: "hook.broken" });
  });

  it("fails when the start probe reports unhealthy, keeping the probe's message", async () => {
    const spec = answeringSpec("hook.sick", "1.0.0", {
      probe: 'return { healthy: false, message: "database unreachable" };',
    });
    const instance = instanceOf(spec);
    await expect(instance.start()).resolves.toBe("failed");
    expect(path(instance)).toEqual(["validated", "loading", "starting", "failed"]);
    expect(instance.health()).toMatchObject({
      lastProbe: { healthy: false },
      lastError: {
        code: "probe_failed",
        message: "the probe reported unhealthy: database unreachable",
      },
      sandbox: { state: "disposed" },
    });
  });

  it.each([
    ["throws", 'throw new Error("nope");', "probe_failed"],
    ["returns the wrong shape", 'return "fine";', "probe_failed"],
    ["never settles", "await new Promise(() => {});", "timeout"],
  ])("fails when the start probe %s", async (_case, probe, code) => {
    const instance = instanceOf(answeringSpec("hook.sick", "1.0.0", { probe }), {
      probeTimeoutMs: 50,
    });
    await expect(instance.start()).resolves.toBe("failed");
    expect(instance.health().lastError?.code).toBe(code);
  });

  it("refuses a probe's writes, so probing has no side effects", async () => {
    const probe = `try { await ctx.storage.set("probed", true); } catch (error) { await ctx.storage.get("probed"); if (error.code !== "permission_denied") throw error; return { healthy: true, message: error.code }; } return { healthy: false, message: "the write went through" };`;
    const instance = instanceOf(answeringSpec("hook.writer", "1.0.0", { probe }));
    await expect(instance.start()).resolves.toBe("running");
    expect(instance.health().lastProbe).toMatchObject({
      healthy: true,
      message: "permission_denied",
    });
  });

  it("fails with create_failed when the host cannot make a sandbox", async () => {
    const instance = createPluginInstance({
      spec: answeringSpec("hook.answer", "1.0.0"),
      createSandbox: () => {
        throw new Error("no context for this plugin");
      },
    });
    await expect(instance.start()).resolves.toBe("failed");
    expect(instance.health().lastError).toMatchObject({
      code: "create_failed",
      message: "the host could not create the sandbox: no context for this plugin",
    });
  });

  it("starts as failed, with the field paths, when the spec does not validate", async () => {
    const events: TransitionEvent[] = [];
    const spec = answeringSpec("hook.future", "1.0.0", {
      manifest: { engines: { plugboard: "^2.0.0" } },
    });
    const instance = instanceOf(spec, {}, events);
    expect(instance.state).toBe("failed");
    expect(instance.issues.map((issue) => issue.path)).toEqual(["engines.plugboard"]);
    expect(events).toMatchObject([{ from: null, to: "failed", error: { code: "invalid_plugin" } }]);
    await expect(instance.start()).resolves.toBe("failed");
    expect(sandboxes.made(spec.key)).toBe(0);
  });

  it("keeps working when the host's transition listener throws", async () => {
    const instance = createPluginInstance({
      spec: answeringSpec("hook.answer", "1.0.0"),
      createSandbox: sandboxes.createSandbox,
      onTransition: () => {
        throw new Error("listener bug");
      },
    });
    instances.push(instance);
    await expect(instance.start()).resolves.toBe("running");
  });

  it("keeps only the newest transitions, up to historyLimit", async () => {
    const instance = instanceOf(answeringSpec("hook.answer", "1.0.0"), { historyLimit: 2 });
    await instance.start();
    expect(path(instance)).toEqual(["starting", "running"]);
  });
});

describe("watching and restarting an instance", () => {
  it("restarts after a failing periodic probe, waiting longer each time, and resets after running stably", async () => {
    const spec = answeringSpec("hook.flaky", "1.0.0", { probe: STORED_HEALTH_PROBE });
    const events: TransitionEvent[] = [];
    const instance = instanceOf(
      spec,
      {
        probeIntervalMs: 20,
        restartInitialDelayMs: 30,
        restartBackoffFactor: 2,
        restartMaxDelayMs: 120,
        restartResetAfterMs: 400,
      },
      events,
    );
    await instance.start();
    const restarting = () => events.filter((event) => event.to === "restarting");
    await sandboxes.store(spec, "healthy", false);
    await waitFor(() => restarting().length >= 4, "four restarts");
    await sandboxes.store(spec, "healthy", true);
    await waitFor(() => instance.state === "running", "the instance to recover");
    expect(restarting().map((event) => event.delayMs)).toEqual([30, 60, 120, 120]);
    expect(restarting().map((event) => event.attempt)).toEqual([1, 2, 3, 4]);
    expect(events.find((event) => event.to === "unhealthy")).toMatchObject({
      from: "running",
      reason: "a periodic probe failed",
      error: { code: "probe_failed", message: "the probe reported unhealthy: told to fail" },
    });
    for (const event of restarting()) {
      const next = events[events.indexOf(event) + 1];
      expect(next?.to).toBe("loading");
      const waited = Date.parse(next?.at ?? "") - Date.parse(event.at);
      expect(waited).toBeGreaterThanOrEqual((event.delayMs ?? 0) - 1);
    }
    expect(instance.health().restarts).toBe(4);

    await new Promise((resolve) => setTimeout(resolve, 450));
    await sandboxes.store(spec, "healthy", false);
    await waitFor(() => restarting().length >= 5, "a restart after a stable run");
    expect(restarting()[4]).toMatchObject({ delayMs: 30, attempt: 1 });
  });

  it("restarts a plugin that ran away while another plugin keeps answering", async () => {
    const runaway = instanceOf(answeringSpec("hook.runaway", "1.0.0"));
    const steady = instanceOf(answeringSpec("hook.steady", "1.0.0"));
    await Promise.all([runaway.start(), steady.start()]);
    const spun = await rejection(runaway.call("run", [request("/spin")]));
    expect(spun).toBeInstanceOf(SandboxError);
    expect(spun).toMatchObject({ code: "timeout" });
    expect(runaway.state).toBe("restarting");
    expect(path(runaway).slice(-2)).toEqual(["unhealthy", "restarting"]);
    const refused = await rejection(runaway.call("run", [request()]));
    expect(refused).toMatchObject({ code: "unavailable" });
    expect(String(refused)).toContain('plugin "hook.runaway" 1.0.0 is restarting after a failure');
    await expect(steady.call("run", [request()])).resolves.toMatchObject({
      body: { id: "hook.steady" },
    });
    await waitFor(() => runaway.state === "running", "the runaway to be restarted");
    await expect(runaway.call("run", [request()])).resolves.toMatchObject({
      body: { id: "hook.runaway" },
    });
    expect(runaway.health()).toMatchObject({
      restarts: 1,
      sandbox: { loads: 1, timeouts: 0, state: "ready" },
      lastError: { code: "timeout" },
    });
    expect(sandboxes.made(runaway.key)).toBe(2);
  });

  it("keeps trying a restart whose load fails, without giving up", async () => {
    const spec = answeringSpec("hook.flaky", "1.0.0", {
      setup: 'if ((await ctx.storage.get("broken")) === true) throw new Error("broken");',
    });
    const instance = instanceOf(spec, { restartInitialDelayMs: 10, restartMaxDelayMs: 20 });
    await instance.start();
    await sandboxes.store(spec, "broken", true);
    await rejection(instance.call("run", [request("/spin")]));
    await waitFor(
      () => instance.transitions().filter((event) => event.to === "restarting").length >= 3,
      "three restart attempts",
    );
    expect(instance.transitions().at(-1)).toMatchObject({
      from: "loading",
      to: "restarting",
      error: { code: "setup_failed" },
    });
    await sandboxes.store(spec, "broken", false);
    await waitFor(() => instance.state === "running", "recovery");
  });

  it("cancels a pending restart when stopped", async () => {
    const instance = instanceOf(answeringSpec("hook.runaway", "1.0.0"), {
      restartInitialDelayMs: 5_000,
    });
    await instance.start();
    await rejection(instance.call("run", [request("/spin")]));
    await instance.stop();
    expect(path(instance).slice(-3)).toEqual(["restarting", "stopping", "stopped"]);
    expect(sandboxes.made(instance.key)).toBe(1);
  });
});

describe("stopping an instance", () => {
  it("calls the plugin's stop handler, then disposes the sandbox", async () => {
    const spec = answeringSpec("hook.tidy", "1.0.0", {
      stop: 'await ctx.storage.set("stopped", true);',
    });
    const instance = instanceOf(spec);
    await instance.start();
    await instance.stop("removed by the operator");
    expect(await sandboxes.stored(spec, "stopped")).toBe(true);
    expect(instance.transitions().slice(-2)).toMatchObject([
      { from: "running", to: "stopping", reason: "removed by the operator" },
      { from: "stopping", to: "stopped" },
    ]);
    expect(instance.health().sandbox?.state).toBe("disposed");
    expect(await rejection(instance.call("run", [request()]))).toMatchObject({ code: "stopped" });
  });

  it("lets a call in flight finish before the stop handler runs", async () => {
    const spec = answeringSpec("hook.tidy", "1.0.0", {
      stop: 'await ctx.storage.set("stopped", true);',
    });
    const instance = instanceOf(spec);
    await instance.start();
    const slow = instance.call("run", [request("/slow")]);
    await waitFor(() => sandboxes.slowWaiting() === 1, "the call to wait");
    expect(instance.health().inFlight).toBe(1);
    const stopping = instance.stop();
    expect(instance.state).toBe("stopping");
    expect(await sandboxes.stored(spec, "stopped")).toBeUndefined();
    sandboxes.releaseSlow();
    await expect(slow).resolves.toMatchObject({ body: { version: "1.0.0" } });
    await stopping;
    expect(await sandboxes.stored(spec, "stopped")).toBe(true);
  });

  it("records a stop handler that throws, and still disposes", async () => {
    const instance = instanceOf(
      answeringSpec("hook.tidy", "1.0.0", { stop: 'throw new Error("cannot flush");' }),
    );
    await instance.start();
    await instance.stop();
    expect(instance.transitions().at(-1)).toMatchObject({
      to: "stopped",
      reason: "the stop handler failed",
      error: { code: "plugin_error", message: "Error: cannot flush" },
    });
    expect(instance.health().sandbox?.state).toBe("disposed");
  });

  it("stops an instance that is still loading without ever running it", async () => {
    const instance = instanceOf(answeringSpec("hook.answer", "1.0.0"));
    const starting = instance.start();
    await instance.stop();
    await expect(starting).resolves.toBe("stopped");
    expect(path(instance)).toEqual(["validated", "loading", "stopping", "stopped"]);
  });
});
