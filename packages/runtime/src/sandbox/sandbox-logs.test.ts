import { afterEach, describe, expect, it } from "vitest";
import type { Sandbox } from "./sandbox.js";
import { fixtureSandbox, pluginSource } from "./testing/plugin-fixtures.js";

// What a plugin's log lines cost the host: each is cut inside the isolate, before the host
// copies and parses it, and the lines of a second are budgeted in count and in characters.

const open: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of open.splice(0)) sandbox.dispose();
});

function logging(setupBody: string, limits: Parameters<typeof fixtureSandbox>[1]) {
  const created = fixtureSandbox(pluginSource(setupBody), limits);
  open.push(created.sandbox);
  return created;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("log lines of sandboxed plugins", () => {
  it("cuts a long message and replaces large data inside the isolate, before the line crosses", async () => {
    // Below the context's own caps (4096 and 16 KiB), so only the isolate can have cut them.
    const { sandbox, host } = logging(
      `return { run() {
        ctx.logger.info("m".repeat(1024 * 1024), { blob: "d".repeat(1024 * 1024) });
        console.log("c".repeat(1024 * 1024));
        ctx.logger.warn("small", { n: 1 });
        return { action: "passthrough" };
      } };`,
      { limits: { maxLogMessageLength: 100, maxLogDataLength: 200 } },
    );
    await sandbox.call("run", [{}]);
    await settle();
    expect(host.logs.map((line) => [line.level, line.message.length, line.data])).toEqual([
      ["info", 101, { truncated: "the data was longer than 200 characters of JSON" }],
      ["info", 101, undefined],
      ["warn", 5, { n: 1 }],
    ]);
    expect(host.logs[0]?.message).toBe(`${"m".repeat(100)}…`);
  });

  it("drops the lines of a second past its character budget, saying so once", async () => {
    const { sandbox, host } = logging(
      `return { run() {
        for (let i = 0; i < 100; i++) ctx.logger.info("x".repeat(990));
        return { action: "passthrough" };
      } };`,
      { limits: { maxLogCharactersPerSecond: 10_240, maxLogLinesPerSecond: 1_000 } },
    );
    await sandbox.call("run", [{}]);
    await settle();
    // Each line is 996 characters of JSON (the message, quoted, in a list): ten fit.
    expect(host.logs).toHaveLength(11);
    expect(host.logs[10]).toMatchObject({
      level: "warn",
      message: "log lines beyond 1000 a second, or 10240 characters a second, are dropped",
    });
    expect(sandbox.health().healthy).toBe(true);
  });
});
