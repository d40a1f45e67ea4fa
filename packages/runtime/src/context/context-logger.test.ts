import { describe, expect, it } from "vitest";
import { contextFixture, KNOWN_SECRET } from "./testing/context-fixture.js";

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
});
