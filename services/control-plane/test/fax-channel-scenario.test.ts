import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ChannelJobWireSchema,
  HttpRenderResultWireSchema,
  HttpRuntimeValidationResultWireSchema,
  JobListResponseWireSchema,
  ProblemDetailsWireSchema,
} from "@plugboard/contracts";
import { faxlineFaxChannel } from "@plugboard/plugin-manifests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAXLINE_HOST, type FakeFaxline, startFakeFaxline } from "./fake-faxline.js";
import { acmeFax, faxRuntime, operationOf } from "./fax-channel-manifests.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

const FAX = faxlineFaxChannel.id;
const TOKEN = "faxline-token-Qx81-scenario-secret";
const SENDER = "+15550100";
const FAX_INPUT = { to: "+15550199", document_url: "https://files.acme.example/contract.pdf" };

describe("sending a fax through a declarative HTTP channel", { timeout: 30_000 }, () => {
  let dir: string;
  let faxline: FakeFaxline;
  let server: RunningControlPlane;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "plugboard-faxline-"));
    faxline = await startFakeFaxline({ token: TOKEN, dir });
    server = await startControlPlane("fax-channel-scenario", faxline.env);
    const secrets = await server.request("PUT", `/v1/plugins/${FAX}/secrets`, {
      body: { secrets: { faxline_api_token: TOKEN } },
    });
    expect(secrets.status).toBe(200);
  });
  afterAll(async () => {
    await server.stop();
    await faxline.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());
  const configure = async (id: string, config: Record<string, unknown>, revision: number) => {
    const response = await server.request("PUT", `/v1/plugins/${id}/config`, {
      body: { config },
      headers: { "if-match": `"${revision}"` },
    });
    expect(response.status).toBe(200);
  };
  const send = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    server.request("POST", `/v1/channels/${id}/send`, { body, headers });
  const refresh = async (jobId: string) => {
    const response = await server.request("POST", `/v1/jobs/${jobId}/refresh`, { body: {} });
    expect(response.status).toBe(200);
    return ChannelJobWireSchema.parse(await response.json());
  };

  it("refuses to send through a channel whose required settings are missing, naming them", async () => {
    const response = await send(FAX, { operation: "send_fax", input: FAX_INPUT });
    expect(response.status).toBe(409);
    expect((await problem(response)).errors).toEqual([
      expect.objectContaining({ path: "config.senderNumber", code: "required" }),
    ]);
    expect(faxline.seen).toHaveLength(0);
  });

  it("renders the exact request with the secret masked, and sends nothing", async () => {
    await configure(FAX, { senderNumber: SENDER }, 0);
    const response = await server.request("POST", "/v1/plugins/http/render", {
      body: {
        plugin_id: FAX,
        operation: "send_fax",
        input: { to: "+15550199", document_url: "https://files.acme.example/a.pdf" },
      },
    });
    expect(response.status).toBe(200);
    const text = await response.clone().text();
    const rendered = HttpRenderResultWireSchema.parse(await response.json());
    expect(rendered.request).toMatchObject({
      method: "POST",
      url: `https://${FAXLINE_HOST}/v1/faxes`,
      headers: { authorization: "Bearer «secret:faxline_api_token»", accept: "application/json" },
      timeout_ms: 30_000,
    });
    expect(JSON.parse(rendered.request.body ?? "")).toEqual({
      to: "+15550199",
      from: SENDER,
      document_url: "https://files.acme.example/a.pdf",
      cover_page: true,
    });
    expect(text).not.toContain(TOKEN);
    expect(faxline.seen).toHaveLength(0);
  });

  it("sends a fax, then follows the job to succeeded by refreshing it", async () => {
    const response = await send(FAX, { operation: "send_fax", input: FAX_INPUT });
    expect(response.status).toBe(201);
    const job = ChannelJobWireSchema.parse(await response.json());
    expect(job).toMatchObject({
      plugin_id: FAX,
      operation: "send_fax",
      status: "queued",
      provider_job_id: "fax_1",
      provider_status: "queued",
      manifest_version: faxlineFaxChannel.version,
      config_revision: 1,
      last_error: null,
      input: FAX_INPUT,
    });
    const [sent] = faxline.seen;
    expect(sent).toMatchObject({ method: "POST", url: "/v1/faxes", servername: FAXLINE_HOST });
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      to: FAX_INPUT.to,
      from: SENDER,
      document_url: FAX_INPUT.document_url,
      cover_page: true,
    });

    expect(await refresh(job.id)).toMatchObject({
      status: "in_progress",
      provider_status: "sending",
      refreshes: 1,
    });
    const done = await refresh(job.id);
    expect(done).toMatchObject({ status: "succeeded", provider_status: "delivered", refreshes: 2 });
    const requests = faxline.seen.length;
    expect(await refresh(job.id)).toMatchObject({ status: "succeeded", refreshes: 2 });
    expect(faxline.seen).toHaveLength(requests);

    const listed = await server.request("GET", `/v1/jobs?plugin_id=${FAX}&status=succeeded`);
    expect(
      JobListResponseWireSchema.parse(await listed.json()).jobs.map((entry) => entry.id),
    ).toEqual([job.id]);
  });

  it("returns the first job for a repeated Idempotency-Key without sending again", async () => {
    const headers = { "idempotency-key": "fax-once-1" };
    const first = ChannelJobWireSchema.parse(
      await (await send(FAX, { operation: "send_fax", input: FAX_INPUT }, headers)).json(),
    );
    const requests = faxline.seen.length;
    const again = await send(FAX, { operation: "send_fax", input: FAX_INPUT }, headers);
    expect(again.status).toBe(201);
    expect(ChannelJobWireSchema.parse(await again.json()).id).toBe(first.id);
    expect(faxline.seen).toHaveLength(requests);
    const other = await send(
      FAX,
      { operation: "send_fax", input: { ...FAX_INPUT, to: "+15550111" } },
      headers,
    );
    expect(other.status).toBe(422);
  });

  it("records the provider's refusal on a failed job", async () => {
    await server.request("PUT", `/v1/plugins/${FAX}/secrets`, {
      body: { secrets: { faxline_api_token: "revoked-token-value" } },
    });
    const response = await send(FAX, { operation: "send_fax", input: FAX_INPUT });
    expect(response.status).toBe(201);
    const job = ChannelJobWireSchema.parse(await response.json());
    expect(job.status).toBe("failed");
    expect(job.last_error).toMatchObject({
      code: "http_status",
      http_status: 401,
      retryable: false,
    });
    expect(JSON.stringify(job)).not.toContain("revoked-token-value");
    await server.request("PUT", `/v1/plugins/${FAX}/secrets`, {
      body: { secrets: { faxline_api_token: TOKEN } },
    });
  });

  it("refuses bad input, an operation the channel lacks, and channels that do not exist", async () => {
    const insecure = await send(FAX, {
      operation: "send_fax",
      input: { ...FAX_INPUT, document_url: "http://files.acme.example/a.pdf" },
    });
    expect(insecure.status).toBe(422);
    expect((await problem(insecure)).errors[0]?.path).toBe("input.document_url");
    const sms = await send(FAX, {
      operation: "send_message",
      input: { to: "+15550199", body: "hi" },
    });
    expect(sms.status).toBe(422);
    expect((await problem(sms)).errors[0]).toMatchObject({
      path: "operation",
      code: "operation_not_declared",
    });
    const missing = await send("channel.fax.nowhere", { operation: "send_fax", input: FAX_INPUT });
    expect(missing.status).toBe(404);
    const unknownJob = await server.request(
      "POST",
      "/v1/jobs/00000000-0000-4000-8000-000000000000/refresh",
      { body: {} },
    );
    expect(unknownJob.status).toBe(404);
  });

  it("refreshes a job with the manifest and config it was sent with, after the channel changed", async () => {
    // Version 1 also tells the provider the sender number when it asks for a status.
    const sentWith = faxRuntime();
    const statusWithSender = operationOf(sentWith, "get_status");
    statusWithSender.headers = {
      ...statusWithSender.headers,
      "X-Faxline-Sender": "{{ config.senderNumber }}",
    };
    const installed = await server.request("POST", "/v1/plugins", {
      body: { manifest: acmeFax("1.0.0", { runtime: sentWith }) },
    });
    expect(installed.status).toBe(201);
    await server.request("PUT", "/v1/plugins/channel.fax.acme/secrets", {
      body: { secrets: { faxline_api_token: TOKEN } },
    });
    await configure("channel.fax.acme", { senderNumber: SENDER }, 0);
    const job = ChannelJobWireSchema.parse(
      await (await send("channel.fax.acme", { operation: "send_fax", input: FAX_INPUT })).json(),
    );
    expect(job.status).toBe("queued");
    // Version 2 asks for status somewhere the provider does not answer.
    const runtime = faxRuntime();
    operationOf(runtime, "get_status").url = `https://${FAXLINE_HOST}/v2/unknown/{{ input.jobId }}`;
    const upgraded = await server.request("POST", "/v1/plugins", {
      body: { manifest: acmeFax("2.0.0", { runtime }) },
    });
    expect(upgraded.status).toBe(201);
    await configure("channel.fax.acme", { senderNumber: "+15550177" }, 1);
    const refreshed = await refresh(job.id);
    expect(refreshed).toMatchObject({
      status: "in_progress",
      manifest_version: "1.0.0",
      config_revision: 1,
    });
    const asked = faxline.seen.at(-1);
    expect(asked?.url).toBe(`/v1/faxes/${job.provider_job_id}`);
    // The config changed to +15550177 before the refresh; the job's snapshot holds the old one.
    expect(asked?.headers["x-faxline-sender"]).toBe(SENDER);
  });

  it("refuses a manifest that sends outside its allowed domains, at validation, render and install", async () => {
    const runtime = faxRuntime();
    operationOf(runtime, "send_fax").url = "https://collector.evil.example/v1/faxes";
    const manifest = acmeFax("3.0.0", { id: "channel.fax.leaky", runtime });
    const validated = await server.request("POST", "/v1/plugins/http/validate", {
      body: { manifest },
    });
    expect(validated.status).toBe(200);
    const verdict = HttpRuntimeValidationResultWireSchema.parse(await validated.json());
    expect(verdict.valid).toBe(false);
    expect(verdict.issues).toContainEqual(
      expect.objectContaining({
        path: "runtime.operations.send_fax.url",
        code: "url_host_not_allowed",
      }),
    );
    const rendered = await server.request("POST", "/v1/plugins/http/render", {
      body: { manifest, operation: "send_fax", input: {}, config: { senderNumber: SENDER } },
    });
    expect(rendered.status).toBe(422);
    const installed = await server.request("POST", "/v1/plugins", { body: { manifest } });
    expect(installed.status).toBe(422);
    expect(faxline.seen.every((request) => request.servername === FAXLINE_HOST)).toBe(true);
  });

  it("warns about a channel that sends but cannot be asked for status", async () => {
    const { get_status: _getStatus, ...operations } = faxRuntime().operations;
    const runtime = { ...faxRuntime(), operations };
    const manifest = acmeFax("1.0.0", {
      id: "channel.fax.blind",
      operations: ["send_fax"],
      runtime,
    });
    const response = await server.request("POST", "/v1/plugins/http/validate", {
      body: { manifest },
    });
    const verdict = HttpRuntimeValidationResultWireSchema.parse(await response.json());
    expect(verdict.valid).toBe(true);
    expect(verdict.warnings.map((warning) => warning.code)).toContain("status_operation_missing");
  });
});
