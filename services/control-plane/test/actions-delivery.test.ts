import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { ActionWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDroppingSmtpServer } from "./dropping-smtp-server.js";
import {
  connectSmtpRelay,
  getAction,
  installFollowUpWorker,
  requestEmail,
  setBoundaryMode,
  waitForStatus,
} from "./governed-actions.js";
import { type LocalSmtpServer, SMTP_HOST, startLocalSmtpServer } from "./local-smtp-server.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

/** A port on the SMTP host that nothing listens on (until a test starts something there). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, SMTP_HOST, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const elapsed = (from: string | null | undefined, to: string | null | undefined) =>
  Date.parse(to ?? "") - Date.parse(from ?? "");

describe("executing actions through the SMTP relay", { timeout: 15_000 }, () => {
  let smtp: LocalSmtpServer;
  let server: RunningControlPlane;
  let workerId: string;

  beforeAll(async () => {
    smtp = await startLocalSmtpServer();
    server = await startControlPlane("action-delivery", {
      PLUGBOARD_ACTION_POLL_MS: "50",
      PLUGBOARD_ACTION_BACKOFF_MS: "200",
      PLUGBOARD_ACTION_MAX_ATTEMPTS: "4",
    });
    await connectSmtpRelay(server, smtp);
    workerId = await installFollowUpWorker(server);
    await setBoundaryMode(server, workerId, "auto");
  });
  beforeEach(() => connectSmtpRelay(server, smtp));
  afterAll(async () => {
    await server.stop();
    await smtp.close();
  });

  const deliveredFor = (actionId: string) =>
    smtp.received.filter(
      (message) => message.mail.headers.get("x-plugboard-action-id") === actionId,
    );
  const retry = async (id: string) => {
    const response = await server.request("POST", `/v1/actions/${id}/retry`, {
      body: { reason: "relay fixed" },
    });
    expect(response.status).toBe(200);
    return ActionWireSchema.parse(await response.json());
  };

  it("retries a transient 4xx reply after growing waits, then delivers once", async () => {
    smtp.refuseNext(2, { code: 451, message: "Greylisted, try again later" });
    const action = await requestEmail(server, workerId);
    const done = await waitForStatus(server, action.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((attempt) => attempt.status)).toEqual([
      "retryable_error",
      "retryable_error",
      "succeeded",
    ]);
    expect(done.attempts[0]?.error?.code).toBe("smtp_451");
    expect(done.attempts[0]?.error?.message).toContain("Greylisted");
    const [first, second, third] = done.attempts;
    expect(elapsed(first?.finished_at, second?.claimed_at)).toBeGreaterThanOrEqual(200);
    expect(elapsed(second?.finished_at, third?.claimed_at)).toBeGreaterThanOrEqual(400);
    expect(new Set(done.attempts.map((attempt) => attempt.idempotency_key)).size).toBe(1);
    expect(done.last_error).toBeNull();
    expect(deliveredFor(action.id)).toHaveLength(1);
  });

  it("fails on a permanent 5xx reply without retrying; an explicit retry then delivers once", async () => {
    smtp.refuseNext(1, { code: 550, message: "Mailbox unavailable" });
    const action = await requestEmail(server, workerId);
    const failed = await waitForStatus(server, action.id, ["failed", "succeeded"]);
    expect(failed.status).toBe("failed");
    expect(failed.last_error?.code).toBe("smtp_550");
    expect(failed.attempts.map((attempt) => attempt.status)).toEqual(["permanent_error"]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await getAction(server, action.id)).attempt_count).toBe(1);

    expect((await retry(action.id)).status).toBe("queued");
    const done = await waitForStatus(server, action.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((attempt) => attempt.status)).toEqual([
      "permanent_error",
      "succeeded",
    ]);
    expect(deliveredFor(action.id)).toHaveLength(1);
  });

  it("marks an action failed once the attempt limit is spent on transient replies", async () => {
    smtp.refuseNext(4, { code: 421, message: "Service not available" });
    const action = await requestEmail(server, workerId);
    const failed = await waitForStatus(server, action.id, ["failed", "succeeded"]);
    expect(failed.status).toBe("failed");
    expect(failed.attempt_count).toBe(4);
    expect(failed.last_error?.code).toBe("smtp_421");
    expect(deliveredFor(action.id)).toEqual([]);
  });

  it("retries while the relay refuses connections, and delivers once it listens", async () => {
    const port = await closedPort();
    await connectSmtpRelay(server, { host: SMTP_HOST, port });
    const action = await requestEmail(server, workerId);
    const deadline = Date.now() + 5_000;
    let current = await getAction(server, action.id);
    while (current.attempt_count === 0 || current.status !== "queued") {
      if (Date.now() > deadline) throw new Error(`still ${current.status}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      current = await getAction(server, action.id);
    }
    expect(current.attempts[0]?.status).toBe("retryable_error");
    expect(current.last_error?.message).toContain("ECONNREFUSED");
    const late = await startLocalSmtpServer(port);
    try {
      const done = await waitForStatus(server, action.id, ["succeeded", "failed"]);
      expect(done.status).toBe("succeeded");
      expect(late.received).toHaveLength(1);
    } finally {
      await late.close();
    }
  });

  it("surfaces an action whose connection dropped after the message was handed over, and never resends it unasked", async () => {
    const dropping = await startDroppingSmtpServer();
    try {
      await connectSmtpRelay(server, dropping);
      const action = await requestEmail(server, workerId);
      const surfaced = await waitForStatus(server, action.id, ["needs_attention", "succeeded"]);
      expect(surfaced.status).toBe("needs_attention");
      expect(surfaced.attempts.map((attempt) => attempt.status)).toEqual(["unknown"]);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await getAction(server, action.id)).attempt_count).toBe(1);
      expect(dropping.messagesRead()).toBe(1);

      await connectSmtpRelay(server, smtp);
      await retry(action.id);
      const done = await waitForStatus(server, action.id, ["succeeded", "failed"]);
      expect(done.status).toBe("succeeded");
      const delivered = deliveredFor(action.id);
      expect(delivered).toHaveLength(1);
      // The resent copy carries the Message-ID of the first, so a recipient's client can tell.
      expect(delivered[0]?.mail.messageId).toBe(`<${done.idempotency_key}@acme.example>`);
    } finally {
      await dropping.close();
    }
  });
});
