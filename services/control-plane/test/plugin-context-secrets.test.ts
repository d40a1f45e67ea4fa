import { Writable } from "node:stream";
import type { PluginContext } from "@plugboard/plugin-sdk";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInProcessEventBus } from "../src/events/in-process-event-bus.js";
import { createPluginContextFactory } from "../src/plugin-host/plugin-context-factory.js";
import { createAesGcmVault, loadVaultKey } from "../src/secrets/aes-gcm-vault.js";
import { writeSecrets } from "../src/secrets/secret-store.js";
import type { SecretVault } from "../src/secrets/secret-vault.js";
import type { Database } from "../src/store/database.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { openServerDatabase } from "./server-database.js";

const API_TOKEN = "tok_live_4f9c2b7e1d";
const WEBHOOK_SECRET = "whsec_8a3e5d0c6b";

interface LoggedLine {
  readonly msg: string;
  readonly pluginId: string;
  readonly data?: Record<string, unknown>;
}

function isLoggedLine(value: unknown): value is LoggedLine {
  return (
    typeof value === "object" &&
    value !== null &&
    "msg" in value &&
    typeof value.msg === "string" &&
    "pluginId" in value
  );
}

describe("secret values in a plugin's log lines", () => {
  let server: RunningControlPlane;
  let database: Database;
  let vault: SecretVault;
  const written: string[] = [];

  beforeAll(async () => {
    server = await startControlPlane("plugin-context-secrets");
    database = openServerDatabase(server);
    vault = createAesGcmVault(loadVaultKey(server.dataDir, undefined));
  });

  afterAll(async () => {
    await database.close();
    await server.stop();
  });

  function buildContext(pluginId: string, config: Record<string, string> = {}): PluginContext {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        done();
      },
    });
    const app = Fastify({ logger: { level: "debug", stream: sink } });
    const contexts = createPluginContextFactory({
      database,
      vault,
      events: createInProcessEventBus(() => undefined),
      egress: {
        plainHttpHosts: [],
        loopbackHosts: [],
        hosts: new Map(),
        trustedCertificates: [],
        timeoutMs: 1_000,
        maxResponseBytes: 1_024,
      },
      log: app.log,
    });
    return contexts(
      { id: pluginId, version: "1.0.0", secretKeys: ["api_token", "webhook_secret"] },
      config,
    );
  }

  /** The plugin's lines so far, once at least `count` have been written. */
  async function linesOf(pluginId: string, count: number): Promise<LoggedLine[]> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const lines = written
        .map((text): unknown => JSON.parse(text))
        .filter(isLoggedLine)
        .filter((line) => line.pluginId === pluginId);
      if (lines.length >= count) return lines;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${pluginId} wrote fewer than ${count} log lines`);
  }

  it("redacts every secret value the plugin has set, though none was injected", async () => {
    await writeSecrets(database.db, vault, "connector.redacted", {
      api_token: API_TOKEN,
      webhook_secret: WEBHOOK_SECRET,
    });
    // An operator pasted a secret into a setting, and the plugin logs its settings.
    const context = buildContext("connector.redacted", { note: WEBHOOK_SECRET });
    context.logger.info(`settings: note=${context.config.note}`, {
      encoded: Buffer.from(API_TOKEN).toString("base64"),
    });
    context.logger.warn(`retrying with ${encodeURIComponent(API_TOKEN)}`);
    const lines = await linesOf("connector.redacted", 2);
    expect(lines.map(({ msg, data }) => ({ msg, data }))).toEqual([
      { msg: "settings: note=[REDACTED]", data: { encoded: "[REDACTED]" } },
      { msg: "retrying with [REDACTED]", data: undefined },
    ]);
    const log = written.join("");
    for (const value of [API_TOKEN, WEBHOOK_SECRET, Buffer.from(API_TOKEN).toString("base64")]) {
      expect(log).not.toContain(value);
    }
  });

  it("redacts a secret the operator sets after the context was built, within a second", async () => {
    const context = buildContext("connector.later");
    context.logger.info("started");
    await linesOf("connector.later", 1);
    const later = "tok_rotated_73b1e09f";
    await writeSecrets(database.db, vault, "connector.later", { api_token: later });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    context.logger.info(`now using ${later}`);
    const lines = await linesOf("connector.later", 2);
    expect(lines.at(-1)?.msg).toBe("now using [REDACTED]");
  });
});
