import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ChannelJobWireSchema,
  JobListResponseWireSchema,
  PluginChangeResultWireSchema,
  PluginHealthResponseWireSchema,
  ProblemDetailsWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventEnvelope } from "../src/events/event-envelope.js";
import { createInProcessEventBus } from "../src/events/in-process-event-bus.js";
import { createDatabasePluginStorage } from "../src/plugin-storage/database-plugin-storage.js";
import { builtExample } from "./example-packages.js";
import {
  type FakeSmsRelay,
  SMS_RELAY_HOST,
  startFakeSmsRelay,
  UNDELIVERABLE_NUMBER,
} from "./fake-sms-relay.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { openServerDatabase } from "./server-database.js";

const PACKAGE = "@plugboard-examples/sms-relay-channel";
const PLUGIN = "channel.sms-relay";
const TOKEN = "smsrelay-token-Vb27-example-secret";
const SENDER = "+15550100";
const MESSAGE = { to: "+15550199", body: "Your table for two is ready." };
// One loopback address per database project: both run this file at once, each on port 443.
const ADDRESS = process.env.PLUGBOARD_TEST_DATABASE === "postgres" ? "127.0.0.8" : "127.0.0.7";

describe("the SMS Relay example channel, installed from its package", { timeout: 30_000 }, () => {
  let dir: string;
  let relay: FakeSmsRelay;
  let server: RunningControlPlane;
  const events: EventEnvelope[] = [];
  const bus = createInProcessEventBus((error) => {
    throw error;
  });
  // Every answer the API gave, to look for the token in at the end.
  const answers: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "plugboard-sms-relay-"));
    relay = await startFakeSmsRelay({ address: ADDRESS, token: TOKEN, dir });
    await bus.subscribe("sms-relay.>", (event) => {
      events.push(event);
    });
    server = await startControlPlane(
      "example-sms-relay-channel",
      { ...relay.env, PLUGBOARD_INSTALL_ALLOWLIST: "@plugboard-examples/*" },
      { eventBus: bus },
    );
  });
  afterAll(async () => {
    await server.stop();
    await bus.close();
    await relay.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await server.request(method, path, {
      ...(body === undefined ? {} : { body }),
      headers,
    });
    answers.push(await response.clone().text());
    return response;
  };
  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());
  const send = async (input: { to: string; body: string } = MESSAGE) => {
    const response = await call("POST", `/v1/channels/${PLUGIN}/send`, {
      operation: "send_message",
      input,
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return ChannelJobWireSchema.parse(await response.json());
  };
  const refresh = async (jobId: string) => {
    const response = await call("POST", `/v1/jobs/${jobId}/refresh`, {});
    expect(response.status).toBe(200);
    return ChannelJobWireSchema.parse(await response.json());
  };
  const health = async () => {
    const response = await call("GET", `/v1/plugins/${PLUGIN}/health`);
    return PluginHealthResponseWireSchema.parse(await response.json()).runtime;
  };
  const setToken = async (value: string) => {
    const response = await call("PUT", `/v1/plugins/${PLUGIN}/secrets`, {
      secrets: { sms_relay_api_token: value },
    });
    expect(response.status).toBe(200);
  };
  const stored = async (messageId: string) => {
    const database = openServerDatabase(server);
    try {
      return await createDatabasePluginStorage(database).get(PLUGIN, `job:${messageId}`);
    } finally {
      await database.close();
    }
  };
  /** The subjects published about one message, once `count` of them arrived. */
  const subjectsFor = async (messageId: string, count: number) => {
    const about = () =>
      events.filter(
        (event) =>
          typeof event.data === "object" &&
          event.data !== null &&
          !Array.isArray(event.data) &&
          event.data.messageId === messageId,
      );
    for (let tries = 0; tries < 200 && about().length < count; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return about().map((event) => event.type);
  };

  it("installs from its package and waits for a valid sender number before it runs", async () => {
    const { manifest, bundle } = builtExample(PACKAGE);
    const installed = await call("POST", "/v1/plugins", { manifest, bundle });
    expect(installed.status, await installed.clone().text()).toBe(201);
    const result = PluginChangeResultWireSchema.parse(await installed.json());
    expect(result.runtime).toMatchObject({ mode: "sandbox", state: "blocked" });
    expect(result.runtime.detail).toContain("config.senderNumber");

    const unconfigured = await call("POST", `/v1/channels/${PLUGIN}/send`, {
      operation: "send_message",
      input: MESSAGE,
    });
    expect(unconfigured.status).toBe(409);
    expect((await problem(unconfigured)).errors).toEqual([
      expect.objectContaining({ path: "config.senderNumber", code: "required" }),
    ]);

    const local = await call(
      "PUT",
      `/v1/plugins/${PLUGIN}/config`,
      { config: { senderNumber: "0555 0100" } },
      { "if-match": '"0"' },
    );
    expect(local.status).toBe(422);
    expect((await problem(local)).errors).toEqual([
      expect.objectContaining({ path: "config.senderNumber", code: "invalid_format" }),
    ]);

    const configured = await call(
      "PUT",
      `/v1/plugins/${PLUGIN}/config`,
      { config: { senderNumber: SENDER } },
      { "if-match": '"0"' },
    );
    expect(configured.status).toBe(200);
    expect(await health()).toMatchObject({
      mode: "sandbox",
      state: "running",
      healthy: true,
      version: "0.1.0",
      last_probe: { healthy: true, message: `sends from ${SENDER}` },
    });
    // Probing sent nothing.
    expect(relay.seen).toHaveLength(0);
  });

  it("fails a send with a job error naming the secret while the API token is not set", async () => {
    const job = await send();
    expect(job.status).toBe("failed");
    expect(job.provider_job_id).toBeNull();
    expect(job.last_error).toMatchObject({ code: "plugin_error", retryable: false });
    expect(job.last_error?.message).toContain(
      "cannot send the message: the SMS Relay API token is not set",
    );
    expect(job.last_error?.message).toContain("store it as the secret sms_relay_api_token");
    expect(relay.seen).toHaveLength(0);
  });

  it("sends a message: queued under SMS Relay's id, kept in storage, announced on the bus", async () => {
    await setToken(TOKEN);
    const job = await send();
    expect(job).toMatchObject({
      plugin_id: PLUGIN,
      operation: "send_message",
      status: "queued",
      provider_job_id: "msg_1",
      manifest_version: "0.1.0",
      config_revision: 1,
      last_error: null,
      input: MESSAGE,
    });
    const [sent] = relay.seen;
    expect(sent).toMatchObject({ method: "POST", url: "/v1/messages", servername: SMS_RELAY_HOST });
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      from: SENDER,
      to: MESSAGE.to,
      text: MESSAGE.body,
    });

    expect(await subjectsFor("msg_1", 1)).toEqual(["sms-relay.message.queued"]);
    expect(events.at(-1)).toMatchObject({
      source: PLUGIN,
      data: { messageId: "msg_1", to: MESSAGE.to, status: "queued", relayStatus: "accepted" },
    });
    expect(await stored("msg_1")).toMatchObject({
      to: MESSAGE.to,
      status: "queued",
      relayStatus: "accepted",
    });
  });

  it("follows the job to succeeded by refreshing it, announcing each change once", async () => {
    const job = await send({ to: "+15550142", body: "Your order has shipped." });
    expect(await refresh(job.id)).toMatchObject({ status: "in_progress", refreshes: 1 });
    // SMS Relay still says "sending": the stored status is unchanged, so nothing is announced.
    expect(await refresh(job.id)).toMatchObject({ status: "in_progress", refreshes: 2 });
    expect(await stored(job.provider_job_id ?? "")).toMatchObject({
      status: "in_progress",
      relayStatus: "sending",
    });
    const done = await refresh(job.id);
    expect(done).toMatchObject({ status: "succeeded", refreshes: 3, last_error: null });
    expect(await subjectsFor(job.provider_job_id ?? "", 3)).toEqual([
      "sms-relay.message.queued",
      "sms-relay.message.in_progress",
      "sms-relay.message.succeeded",
    ]);
    expect(await stored(job.provider_job_id ?? "")).toMatchObject({
      to: "+15550142",
      status: "succeeded",
      relayStatus: "delivered",
    });

    const requests = relay.seen.length;
    expect(await refresh(job.id)).toMatchObject({ status: "succeeded", refreshes: 3 });
    expect(relay.seen).toHaveLength(requests);
    const listed = await call("GET", `/v1/jobs?plugin_id=${PLUGIN}&status=succeeded`);
    expect(
      JobListResponseWireSchema.parse(await listed.json()).jobs.map((entry) => entry.id),
    ).toEqual([job.id]);
  });

  it("reports a message SMS Relay could not deliver as a failed job", async () => {
    const job = await send({ to: UNDELIVERABLE_NUMBER, body: "Hello?" });
    expect(job.status).toBe("queued");
    expect(await refresh(job.id)).toMatchObject({ status: "failed", last_error: null });
    expect(await subjectsFor(job.provider_job_id ?? "", 2)).toEqual([
      "sms-relay.message.queued",
      "sms-relay.message.failed",
    ]);
  });

  it("fails the job with SMS Relay's explanation when it answers 5xx", async () => {
    relay.failNext(503, "down for maintenance");
    const job = await send();
    expect(job.status).toBe("failed");
    expect(job.last_error).toEqual({
      code: "plugin_error",
      message:
        "the plugin failed: SMS Relay failed to send the message (HTTP 503: down for maintenance); try again later",
      retryable: false,
      http_status: null,
    });
  });

  it("keeps the job's status when a refresh fails, and records why", async () => {
    const job = await send();
    const messageId = job.provider_job_id ?? "";
    relay.failNext(502, "bad gateway");
    const failed = await refresh(job.id);
    expect(failed.status).toBe("queued");
    expect(failed.last_error?.message).toBe(
      `the plugin failed: SMS Relay failed to look up message ${messageId} (HTTP 502: bad gateway); try again later`,
    );
    expect(await refresh(job.id)).toMatchObject({ status: "in_progress", last_error: null });
  });

  it("records SMS Relay's refusal of a revoked token on the job, without the token", async () => {
    await setToken("revoked-smsrelay-token-value");
    const job = await send();
    expect(job.status).toBe("failed");
    expect(job.last_error?.message).toBe(
      "the plugin failed: SMS Relay refused to send the message (HTTP 401: invalid token)",
    );
    expect(JSON.stringify(job)).not.toContain("revoked-smsrelay-token-value");
    await setToken(TOKEN);
  });

  it("never shows the API token in a job, an answer, storage or an event", async () => {
    const jobs = await call("GET", `/v1/jobs?plugin_id=${PLUGIN}`);
    expect(JobListResponseWireSchema.parse(await jobs.json()).jobs.length).toBeGreaterThan(5);
    await call("GET", `/v1/plugins/${PLUGIN}`);
    await call("GET", `/v1/plugins/${PLUGIN}/secrets`);
    await health();
    for (const answer of answers) expect(answer).not.toContain(TOKEN);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    const database = openServerDatabase(server);
    try {
      const storage = createDatabasePluginStorage(database);
      const keys = await storage.list(PLUGIN, "job:", 100);
      expect(keys).toContain("job:msg_1");
      for (const key of keys) {
        expect(JSON.stringify(await storage.get(PLUGIN, key))).not.toContain(TOKEN);
      }
    } finally {
      await database.close();
    }
  });
});
