import { WorkerRunListResponseWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DraftModel } from "../src/worker-packs/draft-model.js";
import { connectSmtpRelay, installFollowUpWorker } from "./governed-actions.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";
import {
  acknowledgement,
  POSTMARK,
  postmarkMessage,
  sendWebhook,
  storePostmarkToken,
} from "./webhook-fixtures.js";

const POSTMARK_TOKEN = "pm-token-draft-timeout-3Vx8-secret";
const DRAFT_TIMEOUT_MS = 300;

/** A model that never answers; it keeps the signals it was given. */
function silentModel(): DraftModel & { readonly signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    name: "silent",
    signals,
    draft(_request, signal) {
      if (signal !== undefined) signals.push(signal);
      return new Promise<string>(() => {});
    },
  };
}

async function poll<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("a draft model that never answers", { timeout: 30_000 }, () => {
  const model = silentModel();
  let server: RunningControlPlane;

  beforeAll(async () => {
    server = await startControlPlane(
      "draft-timeout",
      { PLUGBOARD_DRAFT_TIMEOUT_MS: String(DRAFT_TIMEOUT_MS) },
      { draftModel: model },
    );
    await connectSmtpRelay(server, { host: "127.0.0.1", port: 2525 });
    await storePostmarkToken(server, POSTMARK_TOKEN);
    await installFollowUpWorker(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  const deliver = async (messageId: string) => {
    const response = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage(messageId),
      headers: { authorization: `Bearer ${POSTMARK_TOKEN}` },
    });
    expect(response.status).toBe(202);
    return (await acknowledgement(response)).event_id;
  };
  const settledRun = (eventId: string) =>
    poll(async () => {
      const response = await server.request("GET", `/v1/worker-runs?event_id=${eventId}`);
      const [run] = WorkerRunListResponseWireSchema.parse(await response.json()).runs;
      return run !== undefined && run.status !== "drafted" ? run : undefined;
    }, `the run of ${eventId}`);

  it("fails the run once the draft timeout passes, aborts the model's signal, and goes on routing later events", async () => {
    const first = await deliver("pm-silent-1");
    const second = await deliver("pm-silent-2");
    for (const eventId of [first, second]) {
      const run = await settledRun(eventId);
      expect(run.status).toBe("failed");
      expect(run.detail).toContain(`did not finish within ${DRAFT_TIMEOUT_MS} ms`);
      expect(run.detail).toContain("PLUGBOARD_DRAFT_TIMEOUT_MS");
      expect(run.work_item_ids).toEqual([]);
      expect(run.action_ids).toEqual([]);
    }
    expect(model.signals).toHaveLength(2);
    expect(model.signals.every((signal) => signal.aborted)).toBe(true);
    const actions = await withServerDatabase(server, (db) =>
      db.selectFrom("actions").select("id").execute(),
    );
    expect(actions).toEqual([]);
  });
});
