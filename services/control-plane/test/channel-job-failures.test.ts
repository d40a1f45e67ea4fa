import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AuditListResponseWireSchema,
  ChannelJobWireSchema,
  JobListResponseWireSchema,
  ProblemDetailsWireSchema,
} from "@plugboard/contracts";
import { faxlineFaxChannel } from "@plugboard/plugin-manifests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeFaxline, startFakeFaxline } from "./fake-faxline.js";
import { failInsertsInto } from "./injected-failure.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";

const FAX = faxlineFaxChannel.id;
const TOKEN = "faxline-token-Vb27-failures-secret";
const SENDER = "+15550100";
const FAX_INPUT = { to: "+15550199", document_url: "https://files.acme.example/contract.pdf" };

describe("channel jobs when the control plane fails mid-send", { timeout: 30_000 }, () => {
  let dir: string;
  let faxline: FakeFaxline;
  let server: RunningControlPlane;

  const setToken = async (token: string) => {
    const response = await server.request("PUT", `/v1/plugins/${FAX}/secrets`, {
      body: { secrets: { faxline_api_token: token } },
    });
    expect(response.status).toBe(200);
  };
  const send = () =>
    server.request("POST", `/v1/channels/${FAX}/send`, {
      body: { operation: "send_fax", input: FAX_INPUT },
    });
  const sentJob = async () => {
    const response = await send();
    expect(response.status).toBe(201);
    return ChannelJobWireSchema.parse(await response.json());
  };
  const refresh = async (id: string) => {
    const response = await server.request("POST", `/v1/jobs/${id}/refresh`, { body: {} });
    expect(response.status).toBe(200);
    return ChannelJobWireSchema.parse(await response.json());
  };
  const getJob = async (id: string) => {
    const response = await server.request("GET", `/v1/jobs/${id}`);
    expect(response.status).toBe(200);
    return ChannelJobWireSchema.parse(await response.json());
  };
  const jobIds = async () => {
    const response = await server.request("GET", `/v1/jobs?plugin_id=${FAX}&limit=200`);
    return JobListResponseWireSchema.parse(await response.json()).jobs.map((job) => job.id);
  };
  /** Replaces the stored (encrypted) token with bytes the vault cannot open. */
  const corruptToken = () =>
    withServerDatabase(server, (db) =>
      db
        .updateTable("secrets")
        .set({ sealed: Buffer.alloc(48, 7).toString("base64") })
        .where("plugin_id", "=", FAX)
        .execute(),
    );
  /** A job row as a process leaves it when it stops after recording the job, before sending. */
  const leftQueued = (createdAt: Date) =>
    withServerDatabase(server, async (db) => {
      const id = randomUUID();
      await db
        .insertInto("channel_jobs")
        .values({
          id,
          plugin_id: FAX,
          operation: "send_fax",
          status: "queued",
          input_json: JSON.stringify({ to: FAX_INPUT.to, documentUrl: FAX_INPUT.document_url }),
          provider_job_id: null,
          provider_status: null,
          manifest_json: JSON.stringify(faxlineFaxChannel),
          manifest_version: faxlineFaxChannel.version,
          config_json: JSON.stringify({ senderNumber: SENDER, coverPage: true }),
          config_revision: 1,
          last_error_json: null,
          refreshes: 0,
          request_key: null,
          request_digest: "digest",
          created_by: "admin",
          created_at: createdAt.toISOString(),
          updated_at: createdAt.toISOString(),
          last_refreshed_at: null,
        })
        .execute();
      return id;
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "plugboard-job-failures-"));
    faxline = await startFakeFaxline({ token: TOKEN, dir });
    server = await startControlPlane("channel-job-failures", faxline.env);
    await setToken(TOKEN);
    const config = await server.request("PUT", `/v1/plugins/${FAX}/config`, {
      body: { config: { senderNumber: SENDER } },
      headers: { "if-match": '"0"' },
    });
    expect(config.status).toBe(200);
  });
  afterAll(async () => {
    await server.stop();
    await faxline.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("records each job with its audit entry, and neither when the audit entry cannot be written", async () => {
    const job = await sentJob();
    const audit = await server.request("GET", `/v1/audit?action=channel.send&target=${job.id}`);
    expect(AuditListResponseWireSchema.parse(await audit.json()).entries).toEqual([
      expect.objectContaining({
        action: "channel.send",
        target: job.id,
        detail: {
          pluginId: FAX,
          operation: "send_fax",
          manifestVersion: faxlineFaxChannel.version,
        },
      }),
    ]);

    const jobsBefore = await jobIds();
    const requestsBefore = faxline.seen.length;
    const restore = await failInsertsInto(server, "audit_log");
    try {
      const refused = await send();
      expect(refused.status).toBe(500);
      expect(ProblemDetailsWireSchema.parse(await refused.json()).code).toBe("PLUGBOARD_INTERNAL");
    } finally {
      await restore();
    }
    expect(await jobIds()).toEqual(jobsBefore);
    expect(faxline.seen).toHaveLength(requestsBefore);
  });

  it("fails the job with the reason when the control plane cannot read the channel's secret", async () => {
    const earlier = await sentJob();
    expect(earlier.provider_job_id).not.toBeNull();
    const requestsBefore = faxline.seen.length;
    await corruptToken();
    try {
      const job = await sentJob();
      expect(job).toMatchObject({ status: "failed", provider_job_id: null });
      expect(job.last_error).toMatchObject({ code: "host_failed", retryable: false });
      expect(job.last_error?.message).toMatch(/^the control plane failed while sending send_fax: /);
      expect(await getJob(job.id)).toMatchObject({ status: "failed" });

      // A refresh that cannot read the secret records why and keeps the job's status.
      const refreshed = await refresh(earlier.id);
      expect(refreshed).toMatchObject({ status: "queued", refreshes: 1 });
      expect(refreshed.last_error).toMatchObject({ code: "host_failed", retryable: true });
      expect(refreshed.last_error?.message).toMatch(
        /^the control plane failed while asking for the job's status: /,
      );
      expect(faxline.seen).toHaveLength(requestsBefore);
    } finally {
      await setToken(TOKEN);
    }
    expect(await refresh(earlier.id)).toMatchObject({
      status: "in_progress",
      last_error: null,
      refreshes: 2,
    });
  });

  it("fails a job whose send never finished once it is older than any send can take", async () => {
    const requestsBefore = faxline.seen.length;
    const abandoned = await leftQueued(new Date(Date.now() - 16 * 60_000));
    const inFlight = await leftQueued(new Date());

    const failed = await getJob(abandoned);
    expect(failed).toMatchObject({ status: "failed", provider_job_id: null });
    expect(failed.last_error).toMatchObject({ code: "send_unfinished", retryable: false });
    expect(failed.last_error?.message).toContain("check with it before sending again");
    expect(await refresh(abandoned)).toMatchObject({ status: "failed", refreshes: 0 });
    const listed = await server.request("GET", `/v1/jobs?plugin_id=${FAX}&status=failed`);
    expect(
      JobListResponseWireSchema.parse(await listed.json()).jobs.map((job) => job.id),
    ).toContain(abandoned);

    // A job whose send may still be running is left alone, and cannot be refreshed yet.
    expect(await getJob(inFlight)).toMatchObject({ status: "queued", last_error: null });
    const early = await server.request("POST", `/v1/jobs/${inFlight}/refresh`, { body: {} });
    expect(early.status).toBe(409);
    const problem = ProblemDetailsWireSchema.parse(await early.json());
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: "id", code: "no_provider_job" }),
    ]);
    expect(problem.detail).toContain("its send has not finished");
    expect(faxline.seen).toHaveLength(requestsBefore);
  });

  it("records a refresh the provider refused, keeping the job's status", async () => {
    const job = await sentJob();
    await setToken("revoked-token-value-Jd0");
    try {
      const refused = await refresh(job.id);
      expect(refused).toMatchObject({ status: "queued", refreshes: 1 });
      expect(refused.last_error).toMatchObject({
        code: "http_status",
        http_status: 401,
        retryable: false,
      });
      expect(JSON.stringify(refused)).not.toContain("revoked-token-value-Jd0");
    } finally {
      await setToken(TOKEN);
    }
    expect(await refresh(job.id)).toMatchObject({
      status: "in_progress",
      last_error: null,
      refreshes: 2,
    });
  });
});
