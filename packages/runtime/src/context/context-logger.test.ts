import { describe, expect, it } from "vitest";
import { contextFixture, KNOWN_SECRET } from "./testing/context-fixture.js";

/** A promise of the secret values and the functions that settle it. */
function pendingValues() {
  let settle: { resolve(values: string[]): void; reject(error: Error): void } | undefined;
  const values = new Promise<string[]>((resolve, reject) => {
    settle = { resolve, reject };
  });
  if (settle === undefined) throw new Error("the promise did not start");
  return { values, ...settle };
}

describe("logger", () => {
  it("tags lines with the plugin and redacts secret values and secret-named fields", async () => {
    const { context, logs } = contextFixture();
    await context.http.request({
      url: "https://api.crm.example/",
      secretHeaders: { authorization: context.secrets.handle("crm_token") },
    });
    context.logger.error("login with crm-secret-77 failed", {
      smtp: KNOWN_SECRET,
      apiKey: "k-1",
      nested: { password: "p", note: "uses crm-secret-77" },
    });
    expect(logs).toEqual([
      {
        level: "error",
        pluginId: "connector.crm",
        pluginVersion: "2.1.0",
        message: "login with [REDACTED] failed",
        data: {
          smtp: "[REDACTED]",
          apiKey: "[REDACTED]",
          nested: { password: "[REDACTED]", note: "uses [REDACTED]" },
        },
        time: expect.any(String),
      },
    ]);
  });

  it("redacts a secret value the host knows when a line carries it encoded", () => {
    const { context, logs } = contextFixture();
    const bytes = Buffer.from(KNOWN_SECRET);
    context.logger.info(
      `url=${encodeURIComponent(KNOWN_SECRET)} b64=${bytes.toString("base64")} hex=${bytes.toString("hex")}`,
      { basic: Buffer.from(`user:${KNOWN_SECRET}`).toString("base64") },
    );
    expect(logs[0]?.message).toBe("url=[REDACTED] b64=[REDACTED] hex=[REDACTED]");
    expect(logs[0]?.data?.basic).toMatch(/^dXNlcjp\[REDACTED\][A-Za-z0-9+/]?=*$/);
    expect(JSON.stringify(logs)).not.toContain(bytes.toString("base64").slice(0, 12));
  });

  it("cuts long messages, replaces oversized data, and survives a failing sink", () => {
    const { context, logs } = contextFixture();
    context.logger.info("m".repeat(5_000), { blob: "b".repeat(20_000) });
    expect(logs[0]?.message).toHaveLength(4_097);
    expect(logs[0]?.data).toEqual({
      truncated: "the data was longer than 16384 characters of JSON",
    });
    const throwing = contextFixture({
      services: {
        log: () => {
          throw new Error("sink down");
        },
      },
    }).context;
    expect(() => throwing.logger.warn("still fine")).not.toThrow();
    // @ts-expect-error: messages are strings.
    expect(() => context.logger.info(42)).toThrow(
      "logger.info: the message must be a string, got a number",
    );
  });

  it("holds lines while the host reads the secret values, then writes them in order, redacted", async () => {
    const pending = pendingValues();
    let loaded: string[] | undefined;
    const { context, logs } = contextFixture({
      services: { knownSecretValues: () => loaded ?? pending.values },
    });
    context.logger.info("first: vault-value-1");
    context.logger.warn("second", { copy: "vault-value-1" });
    context.logger.error("third");
    expect(logs).toEqual([]);
    loaded = ["vault-value-1"];
    pending.resolve(loaded);
    await pending.values;
    context.logger.debug("fourth: vault-value-1");
    expect(logs.map(({ level, message, data }) => ({ level, message, data }))).toEqual([
      { level: "info", message: "first: [REDACTED]", data: undefined },
      { level: "warn", message: "second", data: { copy: "[REDACTED]" } },
      { level: "error", message: "third", data: undefined },
      { level: "debug", message: "fourth: [REDACTED]", data: undefined },
    ]);
  });

  it("drops the waiting lines with one warning when the host cannot read the secret values", async () => {
    const pending = pendingValues();
    let failed = false;
    const { context, logs } = contextFixture({
      services: { knownSecretValues: () => (failed ? [] : pending.values) },
    });
    context.logger.info("a line that may hold a secret");
    context.logger.info("another");
    failed = true;
    pending.reject(new Error("the database is down"));
    await pending.values.catch(() => undefined);
    await Promise.resolve();
    expect(logs).toEqual([
      {
        level: "warn",
        pluginId: "connector.crm",
        pluginVersion: "2.1.0",
        message:
          "2 log line(s) of the plugin were dropped: the host could not read the plugin's secret values to redact them",
        time: expect.any(String),
      },
    ]);
    context.logger.info("written again");
    expect(logs.at(-1)?.message).toBe("written again");
  });
});
