import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ChannelJobWireSchema,
  JobListResponseWireSchema,
  ProblemDetailsWireSchema,
} from "@plugboard/contracts";
import type { HttpRuntime } from "@plugboard/plugin-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeFaxline, startFakeFaxline } from "./fake-faxline.js";
import { acmeFax, faxRuntime, operationOf } from "./fax-channel-manifests.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

const TOKEN = "faxline-token-Pq55-refresh-secret";
const FAX_INPUT = { to: "+15550199", document_url: "https://files.acme.example/contract.pdf" };
const ACME = "channel.fax.acme";

describe("refreshing channel jobs", { timeout: 30_000 }, () => {
  let dir: string;
  let faxline: FakeFaxline;
  let server: RunningControlPlane;

  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());
  /** Installs a copy of the Faxline channel, with its token and sender number. */
  const installChannel = async (manifest: Record<string, unknown>) => {
    const id = String(manifest.id);
    const installed = await server.request("POST", "/v1/plugins", { body: { manifest } });
    expect(installed.status).toBe(201);
    const secrets = await server.request("PUT", `/v1/plugins/${id}/secrets`, {
      body: { secrets: { faxline_api_token: TOKEN } },
    });
    expect(secrets.status).toBe(200);
    const config = await server.request("PUT", `/v1/plugins/${id}/config`, {
      body: { config: { senderNumber: "+15550100" } },
      headers: { "if-match": '"0"' },
    });
    expect(config.status).toBe(200);
  };
  const send = (id: string) =>
    server.request("POST", `/v1/channels/${id}/send`, {
      body: { operation: "send_fax", input: FAX_INPUT },
    });
  const sentJob = async (id: string) => {
    const response = await send(id);
    expect(response.status).toBe(201);
    return ChannelJobWireSchema.parse(await response.json());
  };
  const startRefresh = (jobId: string) =>
    server.request("POST", `/v1/jobs/${jobId}/refresh`, { body: {} });
  const refresh = async (jobId: string) => {
    const response = await startRefresh(jobId);
    expect(response.status).toBe(200);
    return ChannelJobWireSchema.parse(await response.json());
  };
  const getJob = async (jobId: string) =>
    ChannelJobWireSchema.parse(await (await server.request("GET", `/v1/jobs/${jobId}`)).json());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "plugboard-job-refresh-"));
    faxline = await startFakeFaxline({ token: TOKEN, dir });
    server = await startControlPlane("channel-job-refresh", faxline.env);
    await installChannel(acmeFax("1.0.0"));
  });
  afterAll(async () => {
    await server.stop();
    await faxline.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("never lets a slow refresh undo the job a quicker refresh finished", async () => {
    const job = await sentJob(ACME);
    // The first refresh is answered "sending", but only after the second got "delivered".
    const held = faxline.holdNextStatus();
    const slow = startRefresh(job.id);
    await held.arrived;
    expect(await refresh(job.id)).toMatchObject({
      status: "succeeded",
      provider_status: "delivered",
      refreshes: 1,
    });
    held.release();
    const late = await slow;
    expect(late.status).toBe(200);
    expect(ChannelJobWireSchema.parse(await late.json())).toMatchObject({
      status: "succeeded",
      provider_status: "delivered",
    });
    expect(await getJob(job.id)).toMatchObject({
      status: "succeeded",
      provider_status: "delivered",
      refreshes: 1,
    });
  });

  it("counts each of two concurrent refreshes", async () => {
    faxline.scriptStatuses(["sending"]);
    const job = await sentJob(ACME);
    faxline.scriptStatuses(["sending", "delivered"]);
    const held = faxline.holdNextStatus();
    const slow = startRefresh(job.id);
    await held.arrived;
    expect(await refresh(job.id)).toMatchObject({ status: "in_progress", refreshes: 1 });
    held.release();
    expect((await slow).status).toBe(200);
    expect(await getJob(job.id)).toMatchObject({ status: "in_progress", refreshes: 2 });
  });

  it("refuses to refresh a job the provider's answer gave no id for, saying why", async () => {
    const runtime: HttpRuntime = faxRuntime();
    const sendFax = operationOf(runtime, "send_fax");
    sendFax.response = { ...sendFax.response, fields: { provider_ref: "id" } };
    await installChannel(acmeFax("1.0.0", { id: "channel.fax.unnamed", runtime }));
    const job = await sentJob("channel.fax.unnamed");
    expect(job).toMatchObject({
      status: "queued",
      provider_job_id: null,
      provider_status: "queued",
    });
    expect(job.last_error).toMatchObject({
      code: "provider_job_id_missing",
      retryable: false,
      http_status: 201,
    });
    const requests = faxline.seen.length;
    const refused = await startRefresh(job.id);
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    const body = await problem(refused);
    expect(body.code).toBe("PLUGBOARD_CONFLICT");
    expect(body.errors).toEqual([expect.objectContaining({ path: "id", code: "no_provider_job" })]);
    expect(body.detail).toContain("read no job_id");
    expect(faxline.seen).toHaveLength(requests);
    expect(await getJob(job.id)).toMatchObject({ status: "queued", refreshes: 0 });
  });

  it("refuses to refresh a job of a channel that has no get_status", async () => {
    const { get_status: _getStatus, ...operations } = faxRuntime().operations;
    await installChannel(
      acmeFax("1.0.0", {
        id: "channel.fax.blind",
        operations: ["send_fax"],
        runtime: { ...faxRuntime(), operations },
      }),
    );
    const job = await sentJob("channel.fax.blind");
    expect(job).toMatchObject({ status: "queued", provider_job_id: expect.any(String) });
    const refused = await startRefresh(job.id);
    expect(refused.status).toBe(409);
    expect((await problem(refused)).errors).toEqual([
      expect.objectContaining({ path: "id", code: "no_get_status" }),
    ]);
    expect(await getJob(job.id)).toMatchObject({ status: "queued", refreshes: 0 });
  });

  it("refuses to send through a disabled channel, recording no job and sending nothing", async () => {
    const disabled = await server.request("PATCH", `/v1/plugins/${ACME}`, {
      body: { enabled: false },
    });
    expect(disabled.status).toBe(200);
    const jobs = async () =>
      JobListResponseWireSchema.parse(
        await (await server.request("GET", `/v1/jobs?plugin_id=${ACME}&limit=200`)).json(),
      ).jobs.length;
    const before = await jobs();
    const requests = faxline.seen.length;
    try {
      const refused = await send(ACME);
      expect(refused.status).toBe(409);
      const body = await problem(refused);
      expect(body.code).toBe("PLUGBOARD_CONFLICT");
      expect(body.errors).toEqual([
        expect.objectContaining({ path: "plugin_id", code: "disabled" }),
      ]);
      expect(body.detail).toBe(`${ACME} is disabled`);
    } finally {
      await server.request("PATCH", `/v1/plugins/${ACME}`, { body: { enabled: true } });
    }
    expect(await jobs()).toBe(before);
    expect(faxline.seen).toHaveLength(requests);
  });
});
