import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectSmtpRelay,
  FOLLOW_UP_EMAIL,
  getAction,
  installFollowUpWorker,
  QUICK_EXECUTOR,
  requestEmail,
  setBoundaryMode,
  waitForStatus,
} from "./governed-actions.js";
import { type LocalSmtpServer, startLocalSmtpServer } from "./local-smtp-server.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

describe("hooks around action executions", { timeout: 30_000 }, () => {
  let smtp: LocalSmtpServer;
  let server: RunningControlPlane;
  let workerId: string;

  beforeAll(async () => {
    smtp = await startLocalSmtpServer();
    server = await startControlPlane("hooks-on-executions", {
      ...QUICK_EXECUTOR,
      PLUGBOARD_ACTION_BACKOFF_MS: "60000",
    });
    await connectSmtpRelay(server, smtp);
    workerId = await installFollowUpWorker(server);
    await setBoundaryMode(server, workerId, "auto");
  });
  afterAll(async () => {
    await server.stop();
    await smtp.close();
  });

  const configure = async (id: string, config: Record<string, unknown>, revision: number) => {
    const response = await server.request("PUT", `/v1/plugins/${id}/config`, {
      body: { config },
      headers: { "if-match": `"${revision}"` },
    });
    expect(response.status).toBe(200);
  };
  const enable = async (id: string) => {
    const response = await server.request("POST", `/v1/plugins/${id}/enable`, { body: {} });
    expect(response.status).toBe(200);
  };
  const disable = async (id: string) => {
    const response = await server.request("POST", `/v1/plugins/${id}/disable`, { body: {} });
    expect(response.status).toBe(200);
  };

  it("redacts personal data from the recorded outcome once the PII redactor is on", async () => {
    const plain = await waitForStatus(server, (await requestEmail(server, workerId)).id, [
      "succeeded",
    ]);
    const everyone = [...FOLLOW_UP_EMAIL.to, ...FOLLOW_UP_EMAIL.cc];
    expect(plain.result).toMatchObject({ accepted: everyone });

    await enable("hook.pii-redactor");
    const redacted = await waitForStatus(server, (await requestEmail(server, workerId)).id, [
      "succeeded",
    ]);
    expect(JSON.stringify(redacted.result)).not.toContain("@client.example");
    expect(redacted.result).toMatchObject({ accepted: everyone.map(() => "[redacted]") });
    // The message itself went out as requested.
    const [, second] = await smtp.waitForMessages(2);
    expect(second?.recipients).toEqual(everyone);
    await disable("hook.pii-redactor");
  });

  it("puts an execution off, sending nothing, when the rate limiter's window is full", async () => {
    await configure("hook.rate-limit", { maxRequests: 1, windowSeconds: 60, keyBy: "api_key" }, 0);
    await enable("hook.rate-limit");
    const first = await waitForStatus(server, (await requestEmail(server, workerId)).id, [
      "succeeded",
    ]);
    expect(first.status).toBe("succeeded");
    const sent = smtp.received.length;

    const second = (await requestEmail(server, workerId)).id;
    let action = await getAction(server, second);
    // The attempt is recorded in flight at its claim, and its outcome after the hook refused.
    const settled = () => (action.attempts[0]?.status ?? "in_flight") !== "in_flight";
    for (let tries = 0; tries < 200 && !settled(); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      action = await getAction(server, second);
    }
    expect(action.status).toBe("queued");
    expect(action.attempts[0]).toMatchObject({ status: "retryable_error" });
    expect(action.attempts[0]?.error?.code).toBe("hook_blocked");
    expect(action.attempts[0]?.error?.message).toContain(
      "hook.rate-limit refused the execution (429",
    );
    expect(action.next_attempt_at).not.toBeNull();
    expect(smtp.received).toHaveLength(sent);
    await disable("hook.rate-limit");
  });
});
